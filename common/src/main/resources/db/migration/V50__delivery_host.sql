-- notifier-job (issue 5): the per-host concurrency limit counts deliveries by the host (and port) of their
-- webhook's URL. The claim used to compute that host with a regex for every ready delivery it looked at, in time
-- order, so a backlog of a host at its limit was scanned (and a misestimated plan sorted it) on every round. With
-- the host stored on the delivery and indexed, the claim visits each host with ready deliveries once and reads
-- only the due deliveries of the hosts that have room: its cost follows what it claims, not the backlog.

-- The host (and port, if given) of a URL, lower case; '' if it has none (never null, so every row has a host).
CREATE FUNCTION sensorhub_url_host(url text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(lower(substring(url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#]*)')), '') $$;

-- Kept right for pending deliveries only (the only ones claimed); a finished one gets it again if revived.
ALTER TABLE webhook_deliveries ADD COLUMN host text;
UPDATE webhook_deliveries d SET host = sensorhub_url_host(w.url)
FROM webhooks w WHERE w.id = d.webhook_id AND d.state = 'pending';
CREATE INDEX webhook_deliveries_host_ready_idx ON webhook_deliveries (host, next_attempt_at)
    WHERE state = 'pending' AND NOT waiting;
-- It replaces V30's ready index: with both, a planner misled by statistics taken while no delivery was pending
-- (a queue's partial index often is empty then) may walk the wrong one; and one index less to maintain.
DROP INDEX webhook_deliveries_ready_idx;

-- The fan-out sets the host itself; any other writer (crud-service's test event, an operator) gets it here, and
-- so does a delivery made pending again (redeliver, recover), whose webhook may have moved since.
CREATE FUNCTION sensorhub_delivery_host() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    SELECT sensorhub_url_host(url) INTO NEW.host FROM webhooks WHERE id = NEW.webhook_id;
    RETURN NEW;
END $$;

CREATE TRIGGER webhook_deliveries_host BEFORE INSERT ON webhook_deliveries
    FOR EACH ROW WHEN (NEW.host IS NULL)
    EXECUTE FUNCTION sensorhub_delivery_host();

CREATE TRIGGER webhook_deliveries_revived_host BEFORE UPDATE OF state ON webhook_deliveries
    FOR EACH ROW WHEN (OLD.state <> 'pending' AND NEW.state = 'pending')
    EXECUTE FUNCTION sensorhub_delivery_host();

-- A webhook whose URL changes takes its pending deliveries to the new host (webhook row first, then its
-- deliveries: the lock order of the delivery bookkeeping and of ON DELETE CASCADE).
CREATE FUNCTION sensorhub_webhook_moved() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE webhook_deliveries SET host = sensorhub_url_host(NEW.url)
    WHERE webhook_id = NEW.id AND state = 'pending';
    RETURN NULL;
END $$;

CREATE TRIGGER webhooks_moved AFTER UPDATE OF url ON webhooks
    FOR EACH ROW WHEN (OLD.url IS DISTINCT FROM NEW.url)
    EXECUTE FUNCTION sensorhub_webhook_moved();
