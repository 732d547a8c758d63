package io.sensorhub.crud.stream;

import java.util.UUID;

/**
 * One row of {@code client_events}.
 *
 * @param id the stream's event id
 * @param clientId whose event it is
 * @param type the event type (the SSE {@code event})
 * @param body the JSON a webhook receives, as text (the SSE {@code data}: jsonb's text is
 * one line)
 */
record StreamEvent(long id, UUID clientId, String type, String body) {
}
