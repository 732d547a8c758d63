-- A webhook's reminder settings apply at once (docs/api.md, reminders): a webhook created with a repeatInterval, or
-- given one, is reminded of the sensors that are already CRITICAL, FAULT or OFFLINE, not only after their next change;
-- a changed interval moves the next reminders no later than one new interval from now; reminders turned off end.
--
-- crud-service writes the settings and never the schedule (V76): this trigger only marks the webhook, and
-- notifier-job's reminder loop, which owns webhook_reminders, applies the change in its next turn (within its poll
-- interval, 5 s by default; the shortest repeatInterval the API takes is 60 s) and clears the mark.

ALTER TABLE webhooks ADD COLUMN reminders_changed boolean NOT NULL DEFAULT false;

-- The reminder loop looks for marked webhooks on every turn: only they are indexed.
CREATE INDEX webhooks_reminders_changed_idx ON webhooks (id) WHERE reminders_changed;

CREATE FUNCTION sensorhub_webhook_reminders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.reminders_changed := NEW.repeat_interval IS NOT NULL;
    ELSIF NEW.repeat_interval IS DISTINCT FROM OLD.repeat_interval OR NEW.event_types IS DISTINCT FROM OLD.event_types
          OR NEW.sensor_ids IS DISTINCT FROM OLD.sensor_ids OR NEW.statuses IS DISTINCT FROM OLD.statuses THEN
        NEW.reminders_changed := true;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER webhooks_reminders_changed
    BEFORE INSERT OR UPDATE OF repeat_interval, event_types, sensor_ids, statuses ON webhooks
    FOR EACH ROW EXECUTE FUNCTION sensorhub_webhook_reminders_changed();
