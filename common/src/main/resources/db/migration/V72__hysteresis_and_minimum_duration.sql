-- Hysteresis and minimum duration (docs/ingest.md, status model). Both are settings of a sensor that sensor-consumer
-- reads with its thresholds; the status they hold back while a new one waits is part of the sensor's state.

-- hysteresis: how far back inside a threshold a value must be (more than this) before the status it entered ends.
-- min_duration_seconds: how long, by reading timestamps, readings must indicate a new status before it is current.
-- Adding a column with a constant default rewrites no row.
ALTER TABLE sensors
    ADD COLUMN hysteresis           double precision NOT NULL DEFAULT 0
        CONSTRAINT sensors_hysteresis_valid CHECK (hysteresis >= 0 AND hysteresis < 'Infinity'),
    ADD COLUMN min_duration_seconds integer          NOT NULL DEFAULT 0
        CONSTRAINT sensors_min_duration_valid CHECK (min_duration_seconds >= 0);

-- The status readings indicate while it waits for min_duration_seconds, and the timestamp of the first reading that
-- indicated it (the wait is measured from there). Both null when nothing is pending; written with the rest of the
-- row under its lock, so a pending status survives batches and restarts. OFFLINE and UNKNOWN never wait.
ALTER TABLE sensor_state
    ADD COLUMN pending_status text
        CONSTRAINT sensor_state_pending_status_valid CHECK (pending_status IN ('OK', 'WARNING', 'CRITICAL', 'FAULT')),
    ADD COLUMN pending_since  timestamptz,
    ADD CONSTRAINT sensor_state_pending_complete CHECK ((pending_status IS NULL) = (pending_since IS NULL));
