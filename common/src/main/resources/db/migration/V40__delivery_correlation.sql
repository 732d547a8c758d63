-- The correlation id of what caused a delivery (an HTTP request id, or the identity of the reading that changed
-- the status), so an operator can follow one reading from the queue to the webhook.
ALTER TABLE webhook_deliveries ADD COLUMN correlation_id text;
