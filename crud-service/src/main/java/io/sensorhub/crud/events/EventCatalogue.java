package io.sensorhub.crud.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.sensorhub.common.events.EventType;
import io.sensorhub.crud.events.EventTypeController.EventTypeResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event types ({@link EventType}) with what each means and an example body. The
 * examples are built by the database's body functions (V70's
 * {@code sensorhub_webhook_body}, V76's data function of each type), the very ones that
 * build what is sent, from fixed example values: read once, then kept.
 */
@Component
class EventCatalogue {

    private static final String EXAMPLES = """
            WITH x AS (
                SELECT timestamptz '2026-11-29T10:00:00.123Z' AS at, uuid '3f2c9a4e-8b1d-4e6f-9a2b-5c7d8e9f0a1b' AS webhook,
                       'https://hooks.example.com/sensorhub' AS url,
                       jsonb_populate_record(NULL::status_changes, jsonb_build_object('sensor_id', 'boiler-7',
                           'sequence', 12, 'previous_status', 'OK', 'status', 'CRITICAL', 'value', 97.5,
                           'reported_at', '2026-11-29T10:00:00.050Z', 'changed_at', '2026-11-29T10:00:00.123Z')) AS change)
            SELECT 'sensor.status_changed',
                   sensorhub_webhook_body('sensor.status_changed', x.at, sensorhub_status_change_data(x.change))::text FROM x
            UNION ALL
            SELECT 'sensor.status_reminder', sensorhub_webhook_body('sensor.status_reminder', x.at + interval '20 minutes',
                   sensorhub_status_reminder_data(sensorhub_status_change_data(x.change), 2))::text FROM x
            UNION ALL
            SELECT 'webhook.failing', sensorhub_webhook_body('webhook.failing', x.at, sensorhub_webhook_failing_data(
                   x.webhook, x.url, x.at - interval '40 seconds', 3, 'HTTP 500'))::text FROM x
            UNION ALL
            SELECT 'webhook.disabled', sensorhub_webhook_body('webhook.disabled', x.at, sensorhub_webhook_disabled_data(
                   x.webhook, x.url, 'the endpoint answered 410 Gone', x.at))::text FROM x
            UNION ALL
            SELECT 'webhook.recovered', sensorhub_webhook_body('webhook.recovered', x.at, sensorhub_webhook_recovered_data(
                   x.webhook, x.url, x.at - interval '40 seconds', x.at))::text FROM x
            UNION ALL
            SELECT 'webhook.test', sensorhub_webhook_body('webhook.test', x.at,
                   jsonb_build_object('webhookId', x.webhook))::text FROM x""";

    private final JdbcClient jdbc;

    private final JsonMapper json;

    private volatile List<EventTypeResponse> eventTypes;

    EventCatalogue(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Every event type, in the catalogue's order. */
    List<EventTypeResponse> eventTypes() {
        List<EventTypeResponse> known = this.eventTypes;
        if (known == null) {
            Map<String, String> examples = this.jdbc.sql(EXAMPLES)
                .query((rows, n) -> Map.entry(rows.getString(1), rows.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            known = Arrays.stream(EventType.values())
                .map(type -> new EventTypeResponse(type.wireName(), description(type),
                        this.json.readTree(examples.get(type.wireName()))))
                .toList();
            this.eventTypes = known;
        }
        return known;
    }

    private static String description(EventType type) {
        return switch (type) {
            case STATUS_CHANGED -> "A sensor's status changed. One per change, numbered by the sensor's sequence.";
            case STATUS_REMINDER -> "A sensor is still CRITICAL, FAULT or OFFLINE and not acknowledged: sent every "
                    + "repeatInterval seconds after the change, with the change's data and the reminder's number. "
                    + "Needs the webhook's repeatInterval; no new sequence.";
            case WEBHOOK_FAILING -> "Another webhook of the client failed sensorhub.webhooks.failing-after attempts "
                    + "in a row (default 3). Once per streak of failures.";
            case WEBHOOK_DISABLED -> "SensorHub disabled another webhook of the client (it answered 410 Gone, or "
                    + "every attempt failed for sensorhub.webhooks.disable-after).";
            case WEBHOOK_RECOVERED -> "Another webhook of the client that was reported failing succeeded again.";
            case WEBHOOK_TEST -> "Sent to a webhook when its client asks for it (POST /webhooks/{id}/test), whatever "
                    + "its eventTypes.";
        };
    }

}
