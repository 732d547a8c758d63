/**
 * Ingest of readings (docs/ingest.md): the AMQP topology, the batch listener, the
 * one-transaction-per-batch store with status detection, dead-lettering with a reason,
 * and retries of transient failures.
 */
package io.sensorhub.consumer.ingest;
