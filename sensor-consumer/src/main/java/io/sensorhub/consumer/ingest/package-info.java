/**
 * Ingest of readings (docs/ingest.md): the AMQP topology, the batch listener, the
 * one-transaction-per-batch store with status detection, dead-lettering with a reason,
 * and retries of transient failures. The status rules live here: a reading's
 * ({@link io.sensorhub.consumer.ingest.StatusTransitions}) and silence's
 * ({@link io.sensorhub.consumer.ingest.OfflineTransition}, applied by
 * {@link io.sensorhub.consumer.offline}).
 */
package io.sensorhub.consumer.ingest;
