package io.sensorhub.crud.webhooks;

import java.util.List;
import java.util.Map;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.sensorhub.crud.webhooks.WebhooksApiIntegrationTest.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

/** A webhook's {@code eventTypes} and {@code repeatInterval}. */
class WebhookEventTypesApiIntegrationTest extends ApiIntegrationTest {

    @Test
    void aWebhookGetsStatusChangesByDefaultAndRemindersWhenItHasARepeatInterval() {
        Api client = newClient();
        JsonNode plain = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL)));
        assertThat(strings(plain.get("eventTypes"))).containsExactly("sensor.status_changed");
        assertThat(plain.get("repeatInterval").isNull()).isTrue();

        JsonNode reminding = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "repeatInterval", 600)));
        assertThat(strings(reminding.get("eventTypes"))).containsExactly("sensor.status_changed",
                "sensor.status_reminder");
        assertThat(reminding.get("repeatInterval").asInt()).isEqualTo(600);
        assertThat(this.jdbc.sql("SELECT repeat_interval FROM webhooks WHERE id = ?::uuid")
            .param(reminding.get("id").asString())
            .query(Integer.class)
            .single()).isEqualTo(600);

        JsonNode read = body(client.get("/api/v1/webhooks/" + reminding.get("id").asString()));
        assertThat(strings(read.get("eventTypes"))).containsExactly("sensor.status_changed", "sensor.status_reminder");
    }

    @Test
    void anOpsWebhookListsTheEventsAboutWebhooks() {
        Api client = newClient();
        List<String> operational = List.of("webhook.failing", "webhook.disabled", "webhook.recovered");
        JsonNode ops = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "eventTypes", operational)));
        assertThat(strings(ops.get("eventTypes"))).containsExactlyElementsOf(operational);
        String path = "/api/v1/webhooks/" + ops.get("id").asString();

        JsonNode patched = body(client.patch(path,
                Map.of("eventTypes", List.of("webhook.failing", "sensor.status_reminder"), "repeatInterval", 60),
                null));
        assertThat(strings(patched.get("eventTypes"))).containsExactly("webhook.failing", "sensor.status_reminder");
        assertThat(patched.get("repeatInterval").asInt()).isEqualTo(60);
    }

    @Test
    void unknownTypesShortIntervalsAndRemindersWithoutTheirOtherHalfAreRefused() {
        Api client = newClient();
        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "eventTypes", List.of("sensor.hot"))),
                "eventTypes[0]");
        invalidField(client.post("/api/v1/webhooks",
                Map.of("url", PUBLIC_URL, "eventTypes", List.of("sensorXstatus_changed"))), "eventTypes[0]");
        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "eventTypes", List.of())), "eventTypes");
        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "repeatInterval", 59)),
                "repeatInterval");
        invalidField(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "repeatInterval", 604_801)),
                "repeatInterval");
        invalidField(client.post("/api/v1/webhooks",
                Map.of("url", PUBLIC_URL, "eventTypes", List.of("sensor.status_changed"), "repeatInterval", 300)),
                "eventTypes");
        invalidField(client.post("/api/v1/webhooks",
                Map.of("url", PUBLIC_URL, "eventTypes", List.of("sensor.status_reminder"))), "repeatInterval");

        JsonNode reminding = body(client.post("/api/v1/webhooks", Map.of("url", PUBLIC_URL, "repeatInterval", 300)));
        java.util.HashMap<String, Object> noInterval = new java.util.HashMap<>();
        noInterval.put("repeatInterval", null);
        invalidField(client.patch("/api/v1/webhooks/" + reminding.get("id").asString(), noInterval, null),
                "repeatInterval");
    }

    @Test
    void theEventTypePatternIsTheCatalogue() {
        for (io.sensorhub.common.events.EventType type : io.sensorhub.common.events.EventType.values()) {
            assertThat(type.wireName()).matches(WebhookDtos.EVENT_TYPE);
            assertThat(WebhookDtos.EVENT_TYPES).contains(type.wireName());
        }
        assertThat(WebhookDtos.EVENT_TYPES.split(", ")).hasSize(io.sensorhub.common.events.EventType.values().length);
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

}
