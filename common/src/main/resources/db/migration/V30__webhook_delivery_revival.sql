-- notifier-job (CONTRACT §5). A delivery made pending again (redeliver, recover) starts the retry schedule
-- afresh: retry_base is the attempt_count at that moment, and the schedule counts the failures after it.
-- Attempt numbers keep growing, so the attempts history (primary key delivery_id, attempt) stays whole.
-- Done by trigger so whoever revives a delivery (crud-service, an operator in psql) gets it right.
ALTER TABLE webhook_deliveries ADD COLUMN retry_base integer NOT NULL DEFAULT 0;

CREATE FUNCTION sensorhub_delivery_revived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.retry_base := NEW.attempt_count;
    NEW.completed_at := NULL;
    NEW.waiting := false;
    NEW.locked_by := NULL;
    NEW.locked_until := NULL;
    PERFORM pg_notify('sensorhub_deliveries', '');
    RETURN NEW;
END $$;

CREATE TRIGGER webhook_deliveries_revived BEFORE UPDATE OF state ON webhook_deliveries
    FOR EACH ROW WHEN (OLD.state <> 'pending' AND NEW.state = 'pending')
    EXECUTE FUNCTION sensorhub_delivery_revived();

-- A webhook enabled again (after 410 or auto-disabling) starts without its old failure streak, so its first
-- failure does not disable it again at once, and its waiting deliveries resume now (wake notifier-job).
CREATE FUNCTION sensorhub_webhook_reenabled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.failing_since := NULL;
    NEW.disabled_reason := NULL;
    PERFORM pg_notify('sensorhub_deliveries', '');
    RETURN NEW;
END $$;

CREATE TRIGGER webhooks_reenabled BEFORE UPDATE OF enabled ON webhooks
    FOR EACH ROW WHEN (NOT OLD.enabled AND NEW.enabled)
    EXECUTE FUNCTION sensorhub_webhook_reenabled();

-- Order per (webhook, sensor) without scanning queues: a delivery behind an earlier pending one of the same
-- webhook and sensor is created "waiting" and is not claimable; when the earlier one succeeds or dies, the next
-- one in sequence stops waiting. The claim scans only the ready index, however long a dead endpoint's queue.
-- (The claim still checks that no earlier pending delivery exists, so order holds whatever sets these flags.)
ALTER TABLE webhook_deliveries ADD COLUMN waiting boolean NOT NULL DEFAULT false;
CREATE INDEX webhook_deliveries_ready_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending' AND NOT waiting;
-- The ready index above replaces V1's due index for claiming; one index less to maintain on every state change.
DROP INDEX webhook_deliveries_due_idx;
-- Leasing and releasing change no indexed column: leave room in each page so those updates stay HOT.
ALTER TABLE webhook_deliveries SET (fillfactor = 80);
-- Dead deliveries: the dead-count gauge scans only these, and POST /webhooks/{id}/recover {"since"} finds a
-- webhook's deliveries that died since a time here.
CREATE INDEX webhook_deliveries_dead_idx ON webhook_deliveries (webhook_id, completed_at) WHERE state = 'dead';
