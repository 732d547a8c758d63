/**
 * The one place a sensor's status is decided (docs/ingest.md, status model): thresholds
 * with hysteresis, a device's own status, minimum duration and OFFLINE, used by both the
 * ingest and the OFFLINE watchdog.
 */
package io.sensorhub.consumer.status;
