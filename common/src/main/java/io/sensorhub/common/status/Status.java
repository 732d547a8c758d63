package io.sensorhub.common.status;

/** A sensor's status (docs/ingest.md, status model). */
public enum Status {

    /** No reading yet. */
    UNKNOWN, OK, WARNING, CRITICAL,
    /** Reported by the device itself. */
    FAULT,
    /** Nothing received for the sensor's heartbeat. */
    OFFLINE;

    /** Whether a device may report this status itself in a reading. */
    public boolean reportable() {
        return this == OK || this == WARNING || this == CRITICAL || this == FAULT;
    }

}
