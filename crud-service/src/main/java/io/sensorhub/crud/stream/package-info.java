/**
 * The live event stream ({@code GET /api/v1/events/stream}): every event of a client as
 * server-sent events, read from the log notifier-job appends to ({@code client_events}),
 * resumable with {@code Last-Event-ID}.
 */
package io.sensorhub.crud.stream;
