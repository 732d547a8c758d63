-- Event types per webhook, reminders with acknowledgement, and operational events about webhooks (issue 14;
-- docs/api.md, alerting). Who writes what (docs/architecture.md): crud-service writes the webhook's eventTypes and
-- repeatInterval and a sensor's acknowledgement (client commands); notifier-job writes the reminder schedule, a
-- webhook's failure count and what it has reported, and the outbox of events about webhooks.

-- The event catalogue, as EventType (common) names it; a delivery carries one of them.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_type_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_type_check CHECK (event_type IN (
    'sensor.status_changed', 'sensor.status_reminder', 'webhook.failing', 'webhook.disabled', 'webhook.recovered',
    'webhook.test'));

-- event_types: the events a webhook receives (webhook.test is sent when asked for, whatever it lists).
-- repeat_interval: seconds between reminders of a CRITICAL, FAULT or OFFLINE status; null: no reminders. The API
-- takes 60 or more; the schema takes any positive number, so tests can remind every second.
-- consecutive_failures: notifier-job's count of the failed attempts since the last success (the streak that
-- failing_since starts); failing_reported_since: the failing_since that a webhook.failing reported, until a success
-- reports webhook.recovered (null: nothing reported).
ALTER TABLE webhooks
    ADD COLUMN event_types text[] NOT NULL DEFAULT '{sensor.status_changed}'
        CONSTRAINT webhooks_event_types_valid CHECK (event_types <@ ARRAY['sensor.status_changed',
            'sensor.status_reminder', 'webhook.failing', 'webhook.disabled', 'webhook.recovered', 'webhook.test']),
    ADD COLUMN repeat_interval integer CONSTRAINT webhooks_repeat_interval_valid CHECK (repeat_interval > 0),
    ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0,
    ADD COLUMN failing_reported_since timestamptz;

-- A webhook enabled again also starts counting its failures afresh; what was reported stays, so its first success
-- reports webhook.recovered (V30's trigger, extended).
CREATE OR REPLACE FUNCTION sensorhub_webhook_reenabled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.failing_since := NULL;
    NEW.consecutive_failures := 0;
    NEW.disabled_reason := NULL;
    PERFORM pg_notify('sensorhub_deliveries', '');
    RETURN NEW;
END $$;

-- The data of each event type, built by these functions only (with V70's sensorhub_webhook_body around it): by
-- notifier-job for what it sends, and by crud-service for the examples of GET /event-types, so the examples are
-- what receivers get.

-- sensor.status_changed: the change, sensorhub_status_change_data (V75).

-- sensor.status_reminder: the data of the change still current, and the reminder's number (1, 2, ...).
CREATE FUNCTION sensorhub_status_reminder_data(change jsonb, reminder integer) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT change || jsonb_build_object('reminder', reminder) $$;

-- webhook.failing
CREATE FUNCTION sensorhub_webhook_failing_data(webhook uuid, url text, failing_since timestamptz,
        consecutive_failures integer, last_error text) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT jsonb_build_object('webhookId', webhook, 'url', url, 'failingSince', sensorhub_json_time(failing_since),
       'consecutiveFailures', consecutive_failures, 'lastError', last_error) $$;

-- webhook.disabled
CREATE FUNCTION sensorhub_webhook_disabled_data(webhook uuid, url text, disabled_reason text, disabled_at timestamptz)
    RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT jsonb_build_object('webhookId', webhook, 'url', url, 'disabledReason', disabled_reason,
       'disabledAt', sensorhub_json_time(disabled_at)) $$;

-- webhook.recovered
CREATE FUNCTION sensorhub_webhook_recovered_data(webhook uuid, url text, failing_since timestamptz,
        recovered_at timestamptz) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT jsonb_build_object('webhookId', webhook, 'url', url, 'failingSince', sensorhub_json_time(failing_since),
       'recoveredAt', sensorhub_json_time(recovered_at)) $$;

-- Acknowledgement (crud-service, POST /sensors/{id}/acknowledge): the latest per sensor, for the sequence the sensor
-- had then. It holds while the sensor's state still has that sequence: the next status change ends it without anyone
-- writing here, so crud-service never writes sensor_state.
CREATE TABLE sensor_acknowledgements (
    sensor_id varchar(64) PRIMARY KEY REFERENCES sensors (id) ON DELETE CASCADE,
    sequence  bigint      NOT NULL,
    at        timestamptz NOT NULL,
    comment   text        CHECK (length(comment) <= 1000)
);

-- Whether reminders of the change (sensor, sequence) are wanted: it is still the sensor's current status, that status
-- is CRITICAL, FAULT or OFFLINE, and it is not acknowledged. One rule for notifier-job's reminders: whether a due
-- reminder is sent, and whether one still waiting to be delivered is withdrawn.
CREATE FUNCTION sensorhub_reminder_wanted(sensor varchar, seq bigint) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM sensor_state st WHERE st.sensor_id = sensor AND st.sequence = seq
                  AND st.status IN ('CRITICAL', 'FAULT', 'OFFLINE'))
      AND NOT EXISTS (SELECT 1 FROM sensor_acknowledgements a WHERE a.sensor_id = sensor AND a.sequence = seq) $$;

-- Reminders, scheduled durably (notifier-job). One row per webhook with a repeat_interval and sensor whose current
-- status is CRITICAL, FAULT or OFFLINE: the fan-out writes it with the change (and removes it when the sensor's status
-- is no longer one of those); the reminder loop claims due rows with FOR UPDATE SKIP LOCKED and, in one transaction,
-- inserts the reminder's delivery and moves due_at on, so a restart neither loses nor repeats one.
CREATE TABLE webhook_reminders (
    sensor_id       varchar(64) NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
    webhook_id      uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    sequence        bigint      NOT NULL,          -- the change reminded of
    change_event_id uuid        NOT NULL,          -- its event id: each reminder's webhook-id derives from it
    data            jsonb       NOT NULL,          -- its sensor.status_changed data (outlives the history's retention)
    reminders       integer     NOT NULL DEFAULT 0, -- reminders of it sent so far
    due_at          timestamptz NOT NULL,
    -- The fan-out finds a sensor's rows (sensor first); the delete of a sensor cascades through it.
    PRIMARY KEY (sensor_id, webhook_id)
);
-- The reminder loop claims the due rows, oldest first, and sleeps until the next one.
CREATE INDEX webhook_reminders_due_idx ON webhook_reminders (due_at);
-- The delete of a webhook cascades through this.
CREATE INDEX webhook_reminders_webhook_idx ON webhook_reminders (webhook_id);
-- The reminder loop withdraws pending reminders whose status changed or was acknowledged; only they are indexed.
CREATE INDEX webhook_deliveries_pending_reminders_idx ON webhook_deliveries (sensor_id)
    WHERE state = 'pending' AND event_type = 'sensor.status_reminder';

-- The order key of the events about a webhook (webhook.failing, .disabled, .recovered) in webhook_deliveries.sensor_id,
-- which orders deliveries per webhook and key: 'webhook/' and the webhook's id, never a sensor id ('/' is not allowed
-- in one). Their sequence is their outbox id.
CREATE FUNCTION sensorhub_webhook_event_key(webhook uuid) RETURNS varchar LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT 'webhook/' || webhook $$;

-- Outbox of events about webhooks (notifier-job). Written in the transaction that records the attempts causing them,
-- while the webhook's row is locked, so the ids of one webhook's events follow the order they happened in; the fan-out
-- turns each into a delivery to every other enabled webhook of the client that lists its type, and deletes it, like
-- the status change outbox. No foreign key to the webhook: an event outlives the deletion of the webhook it is about.
CREATE TABLE webhook_event_outbox (
    id          bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL DEFAULT gen_random_uuid(),
    client_id   uuid        NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    webhook_id  uuid        NOT NULL,              -- the webhook the event is about
    event_type  text        NOT NULL CHECK (event_type IN ('webhook.failing', 'webhook.disabled', 'webhook.recovered')),
    payload     jsonb       NOT NULL,              -- the body, from sensorhub_webhook_body
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- The fan-out takes the webhooks of the oldest rows, then each webhook's rows in id order.
CREATE INDEX webhook_event_outbox_webhook_idx ON webhook_event_outbox (webhook_id, id);
-- The delete of a client cascades through this.
CREATE INDEX webhook_event_outbox_client_idx ON webhook_event_outbox (client_id);
