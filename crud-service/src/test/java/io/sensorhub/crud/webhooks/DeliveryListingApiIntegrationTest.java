package io.sensorhub.crud.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook's deliveries filtered by state, sensor and creation time: newest first, and
 * paging through any filter a few at a time yields exactly the deliveries it selects, in
 * order, ties in creation time included.
 */
class DeliveryListingApiIntegrationTest extends ApiIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private static final List<String> STATES = List.of("pending", "succeeded", "dead");

    /** PostgreSQL's order of uuids is their text's, not {@link UUID#compareTo}'s. */
    private static final Comparator<Row> NEWEST_FIRST = Comparator.comparing(Row::createdAt)
        .thenComparing(row -> row.id().toString())
        .reversed();

    @Test
    void pagingThroughEveryFilterYieldsExactlyItsDeliveriesNewestFirst() {
        Api client = newClient();
        String webhook = newWebhook(client);
        String other = newWebhook(client);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            // deliveries come in pairs created at the same time: their ids order them
            Instant created = T0.plus((i / 2) * 7L, ChronoUnit.MINUTES);
            String sensor = (i % 4 == 3) ? null : "sensor-" + (i % 3);
            rows.add(insert(webhook, STATES.get(i % 3), sensor, created));
        }
        insert(other, "dead", "sensor-1", T0.plus(1, ChronoUnit.HOURS));

        for (String state : new String[] { null, "pending", "succeeded", "dead" }) {
            for (String sensor : new String[] { null, "sensor-1", "sensor-9" }) {
                for (Instant[] range : new Instant[][] { { null, null }, { T0.plus(30, ChronoUnit.MINUTES), null },
                        { null, T0.plus(1, ChronoUnit.HOURS) },
                        { T0.plus(21, ChronoUnit.MINUTES), T0.plus(77, ChronoUnit.MINUTES) } }) {
                    Predicate<Row> selected = row -> (state == null || row.state().equals(state))
                            && (sensor == null || sensor.equals(row.sensorId()))
                            && (range[0] == null || !row.createdAt().isBefore(range[0]))
                            && (range[1] == null || row.createdAt().isBefore(range[1]));
                    List<String> expected = rows.stream()
                        .filter(selected)
                        .sorted(NEWEST_FIRST)
                        .map(row -> row.id().toString())
                        .toList();
                    assertThat(pageThrough(client, webhook, state, sensor, range[0], range[1]))
                        .as("state=%s sensorId=%s from=%s to=%s", state, sensor, range[0], range[1])
                        .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aListedDeliveryShowsItsFilteredFields() {
        Api client = newClient();
        String webhook = newWebhook(client);
        Row row = insert(webhook, "dead", "boiler-7", T0);
        JsonNode item = body(client
            .get("/api/v1/webhooks/" + webhook + "/deliveries?state=dead&sensorId=boiler-7&from=2026-11-20T08:00:00Z"))
            .get("items")
            .get(0);
        assertThat(item.get("id").asString()).isEqualTo(row.id().toString());
        assertThat(item.get("state").asString()).isEqualTo("dead");
        assertThat(item.get("sensorId").asString()).isEqualTo("boiler-7");
        assertThat(Instant.parse(item.get("createdAt").asString())).isEqualTo(T0);
        // an offset's + left unencoded arrives as a space; an empty parameter is no
        // filter
        assertThat(body(client
            .get("/api/v1/webhooks/" + webhook + "/deliveries?from=2026-11-20T09:00:00+01:00&to=&state=&sensorId="))
            .get("items")
            .size()).isEqualTo(1);
    }

    @Test
    void badFiltersAndCursorsAre400sNamingTheParameter() {
        Api client = newClient();
        String webhook = newWebhook(client);
        String deliveries = "/api/v1/webhooks/" + webhook + "/deliveries";
        invalidField(client.get(deliveries + "?state=lost"), "state");
        invalidField(client.get(deliveries + "?state=PENDING"), "state");
        invalidField(client.get(deliveries + "?sensorId=a%20b"), "sensorId");
        invalidField(client.get(deliveries + "?sensorId=%00"), "sensorId");
        invalidField(client.get(deliveries + "?sensorId=" + "x".repeat(65)), "sensorId");
        invalidField(client.get(deliveries + "?from=yesterday"), "from");
        invalidField(client.get(deliveries + "?to=2026-11-20T08:00:00"), "to");
        invalidField(client.get(deliveries + "?from=2026-11-20T08:00:00Z&to=2026-11-20T08:00:00Z"), "from");
        invalidField(client.get(deliveries + "?cursor=" + cursor("not-a-key")), "cursor");
        invalidField(client.get(deliveries + "?cursor=" + cursor(UUID.randomUUID().toString())), "cursor");
        invalidField(client.get(deliveries + "?cursor=" + cursor("12:" + "z".repeat(36))), "cursor");
        invalidField(client.get(deliveries + "?cursor=" + cursor("99999999999999999999:" + UUID.randomUUID())),
                "cursor");
        problem(client.get("/api/v1/webhooks/" + newWebhook(newClient()) + "/deliveries?state=dead"), 404);
    }

    /** The ids of every page of the listing with this filter, three at a time. */
    private List<String> pageThrough(Api client, String webhook, String state, String sensor, Instant from,
            Instant to) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/api/v1/webhooks/" + webhook + "/deliveries")
                .queryParam("limit", 3);
            addIfGiven(uri, "state", state);
            addIfGiven(uri, "sensorId", sensor);
            addIfGiven(uri, "from", from);
            addIfGiven(uri, "to", to);
            addIfGiven(uri, "cursor", cursor);
            JsonNode page = body(client.get(uri.encode().build().toUriString()));
            page.get("items").forEach(item -> ids.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            assertThat(ids.size()).as("pages end").isLessThan(100);
        }
        while (cursor != null);
        return ids;
    }

    private static void addIfGiven(UriComponentsBuilder uri, String name, Object value) {
        if (value != null) {
            uri.queryParam(name, value.toString());
        }
    }

    private String newWebhook(Api client) {
        return body(client.post("/api/v1/webhooks", Map.of("url", WebhooksApiIntegrationTest.PUBLIC_URL))).get("id")
            .asString();
    }

    private Row insert(String webhook, String state, String sensorId, Instant createdAt) {
        UUID id = UUID.randomUUID();
        this.jdbc.sql("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                    state, created_at, completed_at)
                VALUES (?, ?::uuid, gen_random_uuid(), ?, ?, 1, '{"type":"x"}', ?, ?,
                        CASE WHEN ? <> 'pending' THEN now() END)""")
            .params(id, webhook, (sensorId != null) ? "sensor.status_changed" : "webhook.test", sensorId, state,
                    createdAt.atOffset(java.time.ZoneOffset.UTC), state)
            .update();
        return new Row(id, state, sensorId, createdAt);
    }

    private static String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private record Row(UUID id, String state, String sensorId, Instant createdAt) {
    }

}
