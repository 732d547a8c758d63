/**
 * Ingest of readings (docs/ingest.md): the AMQP topology, the batch listener, the
 * one-transaction-per-batch store with status detection, dead-lettering with a reason,
 * and retries of transient failures. The status rules of
 * {@link io.sensorhub.consumer.status} are applied to each batch's new readings by
 * {@link io.sensorhub.consumer.ingest.StatusTransitions}.
 */
package io.sensorhub.consumer.ingest;
