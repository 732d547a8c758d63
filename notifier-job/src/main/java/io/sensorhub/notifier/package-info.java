/**
 * notifier-job: turns committed status changes into signed, ordered, retried webhook
 * deliveries. It decides no status and writes no sensor state: sensor-consumer records
 * every change, OFFLINE included. Of the {@code webhooks} table it writes only delivery
 * outcomes: the failure streak and the disabling of a webhook (docs/architecture.md).
 */
package io.sensorhub.notifier;
