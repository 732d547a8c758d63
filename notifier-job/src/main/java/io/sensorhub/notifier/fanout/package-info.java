/**
 * Fan-out: each recorded status change, and each event about a webhook, becomes one
 * delivery per matching enabled webhook, exactly once, via its outbox; status changes
 * also keep the reminder schedule.
 */
package io.sensorhub.notifier.fanout;
