/**
 * Keeps the Redis state cache equal to {@code sensor_state} (docs/architecture.md): a
 * periodic reconciliation that also runs at once when Redis comes back from an outage,
 * counting the entries it repairs.
 */
package io.sensorhub.consumer.reconcile;
