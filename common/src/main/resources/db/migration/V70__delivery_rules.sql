-- One owner for each rule of a webhook delivery.

-- The webhook body. Every event POSTed to a webhook is {"type", "timestamp", "data"}, and every time in a body has
-- exactly one format: UTC, milliseconds, 'Z', as in 2026-11-29T10:00:00.123Z (YYYY-MM-DDTHH:MM:SS.mmmZ, always
-- three fraction digits, truncated). Both are made here and nowhere else: notifier-job's fan-out builds status
-- changes with these functions, crud-service builds test events with them, and so must any later event type.

-- A time as it appears in a webhook body; null stays null.
CREATE FUNCTION sensorhub_json_time(at timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- The body of an event of this type that happened at this time, with its type's data.
CREATE FUNCTION sensorhub_webhook_body(type text, at timestamptz, data jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT jsonb_build_object('type', type, 'timestamp', sensorhub_json_time(at), 'data', data) $$;

-- webhook_deliveries.host is the host (and port, if given) of the delivery's webhook URL, as sensorhub_url_host
-- gives it. It is a scheduling key and nothing else: notifier-job claims host by host and limits the attempts in
-- flight per host by it. The URL a delivery is POSTed to is always read from its webhook when the delivery is
-- claimed, never derived from this column. Only the triggers below write it (no code does), so a delivery inserted
-- or revived in psql gets it right too; it is kept right for pending deliveries, the only ones claimed:
--  - every insert sets it from the webhook's URL, whatever the insert said (webhook_deliveries_host);
--  - a delivery made pending again gets it again, its webhook may have moved (V50's webhook_deliveries_revived_host);
--  - a webhook whose URL changes takes its pending deliveries along (V50's webhooks_moved).
-- A delivery inserted (or revived) while its webhook's URL changes must not keep the old host: the insert reads
-- the URL after taking the lock its foreign key takes anyway (FOR KEY SHARE, so it waits for nothing new), and the
-- URL change, before moving the pending deliveries, takes FOR UPDATE on the webhook, which waits for those inserts
-- to commit. Either the insert waits and then reads the new URL, or the move waits and then sees the new delivery.
-- (A URL change locks like deleting the webhook; change one webhook's URL per transaction, as crud-service does.)
CREATE OR REPLACE FUNCTION sensorhub_delivery_host() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM FROM webhooks WHERE id = NEW.webhook_id FOR KEY SHARE;
    -- a statement of its own: its snapshot is taken after the lock was granted
    SELECT sensorhub_url_host(url) INTO NEW.host FROM webhooks WHERE id = NEW.webhook_id;
    RETURN NEW;
END $$;

DROP TRIGGER webhook_deliveries_host ON webhook_deliveries;
CREATE TRIGGER webhook_deliveries_host BEFORE INSERT ON webhook_deliveries
    FOR EACH ROW EXECUTE FUNCTION sensorhub_delivery_host();

CREATE OR REPLACE FUNCTION sensorhub_webhook_moved() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM FROM webhooks WHERE id = NEW.id FOR UPDATE;
    -- a statement of its own: its snapshot is taken after the deliveries inserted meanwhile were committed
    UPDATE webhook_deliveries SET host = sensorhub_url_host(NEW.url)
    WHERE webhook_id = NEW.id AND state = 'pending';
    RETURN NULL;
END $$;
