/**
 * The live event stream's log ({@code client_events}): appended to by the fan-outs and
 * the reminders in their own transactions, pruned after its retention. crud-service
 * streams it.
 */
package io.sensorhub.notifier.stream;
