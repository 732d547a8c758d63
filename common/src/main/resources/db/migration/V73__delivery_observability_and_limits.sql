-- Delivery observability and limits per client (issue 14; docs/api.md, deliveries; docs/operations.md, limits).

-- What the receiver answered: the first 1 KiB of each attempt's response body, as text. notifier-job writes it with the
-- attempt (invalid UTF-8 and control characters other than tab and line breaks replaced by U+FFFD, at most 1,024 bytes
-- in UTF-8); null when no response came.
ALTER TABLE webhook_delivery_attempts ADD COLUMN response_body text;

-- The attempt's webhook, so that a webhook's recent attempts are found without going through all its deliveries.
-- notifier-job, the one writer of attempts, writes it with each attempt, from the delivery it records.
ALTER TABLE webhook_delivery_attempts ADD COLUMN webhook_id uuid;
UPDATE webhook_delivery_attempts a SET webhook_id = d.webhook_id FROM webhook_deliveries d WHERE d.id = a.delivery_id;
ALTER TABLE webhook_delivery_attempts ALTER COLUMN webhook_id SET NOT NULL;

-- GET /webhooks/{id}/stats: a webhook's successful (2xx) and failed attempts by time. The last hour's counts and latency
-- percentiles read that hour's entries only (index only: the latency is included), the last success and the last
-- failure one entry each, however long the history. (An attempt is a success when its status code is 2xx, as
-- notifier-job's AttemptResult decides; the predicates below must stay those of StatsQueries.)
CREATE INDEX webhook_delivery_attempts_succeeded_idx ON webhook_delivery_attempts (webhook_id, at) INCLUDE (latency_ms)
    WHERE status_code BETWEEN 200 AND 299;
CREATE INDEX webhook_delivery_attempts_failed_idx ON webhook_delivery_attempts (webhook_id, at) INCLUDE (latency_ms)
    WHERE (status_code BETWEEN 200 AND 299) IS NOT TRUE;

-- GET /webhooks/{id}/deliveries?state=&from=&to= lists newest first by (created_at, id) with a keyset cursor: one range
-- of this index per state (all three merged when no state is asked for), bounded by from/to and the cursor. It also
-- counts a webhook's pending deliveries for the stats. It replaces V1's (webhook_id, state, id), which served the old
-- order by id.
CREATE INDEX webhook_deliveries_webhook_state_created_idx ON webhook_deliveries (webhook_id, state, created_at, id);
DROP INDEX webhook_deliveries_webhook_state_idx;
-- The same with &sensorId=: one range per state within the webhook's deliveries of that sensor.
CREATE INDEX webhook_deliveries_webhook_sensor_idx ON webhook_deliveries (webhook_id, sensor_id, state, created_at, id);

-- Limits per client: the times of each webhook's accepted requests to deliver (test events, redeliveries, recoveries)
-- within the last minute, at most the limit of them (sensorhub.limits.delivery-requests-per-webhook-per-minute).
-- crud-service locks the webhook's row here for each request (in the transaction that queues the delivery), so the
-- limit holds across all its instances.
CREATE TABLE webhook_delivery_requests (
    webhook_id uuid          PRIMARY KEY REFERENCES webhooks (id) ON DELETE CASCADE,
    recent     timestamptz[] NOT NULL DEFAULT '{}'
);
