package io.sensorhub.crud.events;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.sensorhub.common.events.EventType;
import io.sensorhub.common.test.WebhookBodyFormat;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /event-types}: the whole catalogue, each with a description and an example
 * body built by the database's body functions; the OpenAPI document describes each body,
 * and each example has exactly the fields its schema describes.
 */
class EventTypesApiIntegrationTest extends ApiIntegrationTest {

    private static final Map<String, String> SCHEMAS = Map.of("sensor.status_changed", "StatusChangedEvent",
            "sensor.status_reminder", "StatusReminderEvent", "webhook.failing", "WebhookFailingEvent",
            "webhook.disabled", "WebhookDisabledEvent", "webhook.recovered", "WebhookRecoveredEvent", "webhook.test",
            "WebhookTestEvent");

    @Test
    void theCatalogueListsEveryTypeWithADescriptionAndAnExampleBody() {
        JsonNode items = body(newClient().get("/api/v1/event-types")).get("items");
        assertThat(items.valueStream().map(item -> item.get("type").asString())).containsExactly(
                java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toArray(String[]::new));
        for (JsonNode item : items) {
            assertThat(item.get("description").asString()).hasSizeGreaterThan(20);
            JsonNode example = item.get("example");
            assertThat(example.propertyNames()).containsExactlyInAnyOrder("type", "timestamp", "data");
            assertThat(example.get("type").asString()).isEqualTo(item.get("type").asString());
            assertThat(example.get("timestamp").asString()).matches(WebhookBodyFormat.TIME);
        }
        JsonNode reminder = items.get(1).get("example").get("data");
        JsonNode change = items.get(0).get("example").get("data");
        assertThat(reminder.get("reminder").asInt()).isEqualTo(2);
        assertThat(reminder.get("sequence")).isEqualTo(change.get("sequence"));
        assertThat(change.get("changedAt").asString()).isEqualTo("2026-11-29T10:00:00.123Z");
    }

    @Test
    void anyTokenMayReadIt() {
        assertThat(this.admin.get("/api/v1/event-types")).hasStatusOk();
        problem(this.mvc.get().uri("/api/v1/event-types").exchange(), 401);
    }

    @Test
    void theOpenApiDocumentDescribesEveryBodyWithTheFieldsOfItsExample() {
        JsonNode document = body(this.mvc.get().uri("/v3/api-docs").exchange());
        JsonNode schemas = document.get("components").get("schemas");
        JsonNode items = body(newClient().get("/api/v1/event-types")).get("items");
        for (JsonNode item : items) {
            String type = item.get("type").asString();
            JsonNode schema = schemas.get(SCHEMAS.get(type));
            assertThat(schema).as("schema of %s", type).isNotNull();
            assertThat(properties(schema)).containsExactlyInAnyOrder("type", "timestamp", "data");
            JsonNode data = resolve(schemas, schema.get("properties").get("data"));
            assertThat(properties(data)).as("data of %s", type)
                .containsExactlyInAnyOrderElementsOf(item.get("example").get("data").propertyNames());
        }
        List<String> oneOf = document.at("/components/schemas/EventTypeResponse/properties/example/oneOf")
            .valueStream()
            .map(ref -> ref.get("$ref").asString().replace("#/components/schemas/", ""))
            .toList();
        assertThat(oneOf).containsExactlyInAnyOrderElementsOf(SCHEMAS.values());
        assertThat(document.get("paths").has("/api/v1/sensors/{id}/acknowledge")).isTrue();
    }

    private static Set<String> properties(JsonNode schema) {
        return schema.get("properties").propertyNames().stream().collect(Collectors.toSet());
    }

    private static JsonNode resolve(JsonNode schemas, JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null && schema.has("allOf")) {
            ref = schema.get("allOf").get(0).get("$ref");
        }
        return (ref != null) ? schemas.get(ref.asString().replace("#/components/schemas/", "")) : schema;
    }

}
