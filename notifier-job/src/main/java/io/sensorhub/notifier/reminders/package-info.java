/**
 * Reminders: {@code sensor.status_reminder} deliveries from the durable schedule the
 * fan-out keeps, and the withdrawal of reminders whose status changed or was acknowledged
 * before they were delivered.
 */
package io.sensorhub.notifier.reminders;
