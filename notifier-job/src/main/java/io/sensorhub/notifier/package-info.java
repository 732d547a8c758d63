/**
 * notifier-job: turns status changes into signed, ordered, retried webhook deliveries and
 * marks silent sensors OFFLINE.
 */
package io.sensorhub.notifier;
