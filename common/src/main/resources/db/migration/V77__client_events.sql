-- The live event stream's log (docs/api.md, live stream): every event of a client, in the order it was committed,
-- kept 24 hours so a stream can resume from the id it last received (Last-Event-ID). Written by notifier-job only, in
-- the transactions that turn status changes, reminders and events about webhooks into deliveries, so the stream and
-- the webhooks never disagree; read by crud-service, which streams it.
--
-- id is the stream's event id. A reader resumes with "id > the last it received", a cursor, so ids must become visible
-- in id order: every writer takes the one advisory lock sensorhub_client_events_lock() right before its insert, the
-- insert is the last statement of its transaction, and the lock is held until that transaction commits. The next
-- writer draws its ids after that commit, so no smaller id can appear later. A rolled back insert leaves a gap in the
-- ids that no reader waits for.
CREATE TABLE client_events (
    id          bigserial   PRIMARY KEY,
    client_id   uuid        NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    event_id    uuid        NOT NULL,     -- the status change's event id, a reminder's or a webhook event's
    event_type  text        NOT NULL,
    body        jsonb       NOT NULL,     -- what a webhook receives (sensorhub_webhook_body), plus "silenced": true
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (client_id, event_id)
);
-- A resuming stream reads one client's rows after an id.
CREATE INDEX client_events_client_idx ON client_events (client_id, id);
-- Retention deletes the oldest rows in batches.
CREATE INDEX client_events_created_idx ON client_events (created_at);

-- The advisory lock every writer of client_events takes right before its insert and holds until it commits (the
-- one-bigint key space: no sensor's two-key lock is the same).
CREATE FUNCTION sensorhub_client_events_lock() RETURNS void
    LANGUAGE sql VOLATILE AS
$$ SELECT pg_advisory_xact_lock(hashtext('sensorhub_client_events')::bigint) $$;

-- The highest id retention has deleted: a stream resuming after a smaller id may have missed events that are gone, and
-- is told so (docs/api.md, live stream). One row, written by notifier-job's retention only.
CREATE TABLE client_events_pruned (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    up_to     bigint  NOT NULL
);
INSERT INTO client_events_pruned (up_to) VALUES (0);
