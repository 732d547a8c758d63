/**
 * Fan-out: each recorded status change becomes one delivery per matching enabled webhook,
 * exactly once, via the outbox.
 */
package io.sensorhub.notifier.fanout;
