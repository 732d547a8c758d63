package io.sensorhub.crud.silences;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class SilencesApiIntegrationTest extends ApiIntegrationTest {

    private static final Map<String, Object> NIGHTS = Map.of("weekdays", List.of("MON", "TUE", "MON"), "start", "22:00",
            "end", "06:00", "timezone", "Europe/Berlin");

    @Test
    void aOneOffSilenceIsCreatedReadListedAndActiveWhileItRuns() {
        Api client = newClient();
        String sensor = sensorId("silenced");
        client.createSensor(sensor);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sensorIds", List.of(sensor, sensor));
        body.put("statuses", List.of("CRITICAL", "OFFLINE"));
        body.put("startsAt", now.minusSeconds(60).toString());
        body.put("endsAt", now.plusSeconds(3600).toString());
        body.put("comment", "boiler maintenance");
        MvcTestResult created = client.post("/api/v1/silences", body);
        assertThat(created).hasStatus(201);
        JsonNode silence = body(created);
        String id = silence.get("id").asString();
        assertThat(created.getResponse().getHeader("Location")).endsWith("/api/v1/silences/" + id);
        assertThat(silence.get("sensorIds").valueStream().map(JsonNode::asString)).containsExactly(sensor);
        assertThat(silence.get("statuses").valueStream().map(JsonNode::asString)).containsExactly("CRITICAL",
                "OFFLINE");
        assertThat(Instant.parse(silence.get("endsAt").asString())).isEqualTo(now.plusSeconds(3600));
        assertThat(silence.get("schedule").isNull()).isTrue();
        assertThat(silence.get("comment").asString()).isEqualTo("boiler maintenance");
        assertThat(silence.get("active").asBoolean()).isTrue();

        assertThat(body(client.get("/api/v1/silences/" + id))).isEqualTo(silence);
        assertThat(body(client.get("/api/v1/silences")).get("items").get(0)).isEqualTo(silence);

        Map<String, Object> later = new HashMap<>(body);
        later.put("startsAt", now.plusSeconds(3600).toString());
        later.put("endsAt", now.plusSeconds(7200).toString());
        later.remove("sensorIds");
        later.remove("statuses");
        JsonNode coming = body(client.post("/api/v1/silences", later));
        assertThat(coming.get("active").asBoolean()).isFalse();
        assertThat(coming.get("sensorIds").isNull()).isTrue();
        assertThat(coming.get("statuses").isNull()).isTrue();
    }

    @Test
    void aRecurringSilenceKeepsItsWindowAsGiven() {
        Api client = newClient();
        JsonNode silence = body(client.post("/api/v1/silences", Map.of("schedule", NIGHTS)));
        JsonNode schedule = silence.get("schedule");
        assertThat(schedule.get("weekdays").valueStream().map(JsonNode::asString)).containsExactly("MON", "TUE");
        assertThat(schedule.get("start").asString()).isEqualTo("22:00");
        assertThat(schedule.get("end").asString()).isEqualTo("06:00");
        assertThat(schedule.get("timezone").asString()).isEqualTo("Europe/Berlin");
        assertThat(silence.get("startsAt").isNull()).isTrue();
        assertThat(silence.get("endsAt").isNull()).isTrue();

        JsonNode always = body(client.post("/api/v1/silences",
                Map.of("schedule", Map.of("weekdays", List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), "start",
                        "00:00", "end", "00:00", "timezone", "Pacific/Auckland"))));
        assertThat(always.get("active").asBoolean()).as("a whole day every day").isTrue();
    }

    @Test
    void invalidSilencesAreRefusedFieldByField() {
        Api client = newClient();
        Instant now = Instant.now();
        String start = now.toString();
        String end = now.plusSeconds(600).toString();
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", end, "endsAt", start)), "endsAt");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", start, "endsAt", start)), "endsAt");
        invalidField(client.post("/api/v1/silences",
                Map.of("startsAt", now.minusSeconds(7200).toString(), "endsAt", now.minusSeconds(3600).toString())),
                "endsAt");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", start)), "endsAt");
        invalidField(client.post("/api/v1/silences", Map.of("comment", "no times")), "startsAt");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", start, "endsAt", end, "schedule", NIGHTS)),
                "schedule");
        invalidField(client.post("/api/v1/silences", Map.of("schedule", schedule("weekdays", List.of()))),
                "schedule.weekdays");
        invalidField(client.post("/api/v1/silences", Map.of("schedule", schedule("weekdays", List.of("MONDAY")))),
                "schedule.weekdays[0]");
        invalidField(client.post("/api/v1/silences", Map.of("schedule", schedule("start", "24:00"))), "schedule.start");
        invalidField(client.post("/api/v1/silences", Map.of("schedule", schedule("end", "6:00"))), "schedule.end");
        for (String zone : List.of("Mars/Olympus_Mons", "CEST", "GMT+2", "europe/berlin", "+01:00", "")) {
            invalidField(client.post("/api/v1/silences", Map.of("schedule", schedule("timezone", zone))),
                    "schedule.timezone");
        }
        invalidField(
                client.post("/api/v1/silences", Map.of("startsAt", start, "endsAt", end, "statuses", List.of("HOT"))),
                "statuses[0]");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", start, "endsAt", end, "statuses", List.of())),
                "statuses");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", start, "endsAt", end, "sensorIds", List.of())),
                "sensorIds");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", start, "endsAt", end, "comment", "a\u0000b")),
                "comment");
        invalidField(client.post("/api/v1/silences", Map.of("startsAt", "tomorrow", "endsAt", end)), "startsAt");
        assertThat(body(client.get("/api/v1/silences")).get("items").size()).isZero();
    }

    @Test
    void sensorsMustBeTheClientsOwnAnd400SaysWhichAreNot() {
        Api client = newClient();
        String mine = sensorId("mine");
        client.createSensor(mine);
        String theirs = sensorId("theirs");
        newClient().createSensor(theirs);
        Map<String, Object> body = new HashMap<>(oneOff());
        body.put("sensorIds", List.of(mine, theirs, sensorId("nobody")));
        JsonNode problem = invalidField(client.post("/api/v1/silences", body), "sensorIds[1]");
        assertThat(problem.get("errors").valueStream().map(error -> error.get("field").asString()))
            .containsExactly("sensorIds[1]", "sensorIds[2]");
    }

    @Test
    void anotherClientsSilenceIsNotFound() {
        Api alice = newClient();
        Api bob = newClient();
        String id = body(alice.post("/api/v1/silences", oneOff())).get("id").asString();
        problem(bob.get("/api/v1/silences/" + id), 404);
        problem(bob.delete("/api/v1/silences/" + id), 404);
        assertThat(body(bob.get("/api/v1/silences")).get("items").size()).isZero();
        assertThat(alice.get("/api/v1/silences/" + id)).hasStatusOk();
        problem(alice.get("/api/v1/silences/not-a-uuid"), 404);
        problem(this.admin.get("/api/v1/silences"), 403);
    }

    @Test
    void deletingEndsASilenceAndTellsNotifierJob() throws Exception {
        Api client = newClient();
        String id = body(client.post("/api/v1/silences", oneOff())).get("id").asString();
        try (Connection listener = TestServices.get().openConnection();
                Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + Channels.SILENCES);
            assertThat(client.delete("/api/v1/silences/" + id)).hasStatus(204);
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(30_000);
            assertThat(notifications).isNotNull().extracting(PGNotification::getName).contains(Channels.SILENCES);
        }
        problem(client.get("/api/v1/silences/" + id), 404);
        problem(client.delete("/api/v1/silences/" + id), 404);
    }

    @Test
    void listsPageByCursor() {
        Api client = newClient();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(body(client.post("/api/v1/silences", oneOff())).get("id").asString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = body(
                    client.get("/api/v1/silences?limit=2" + ((cursor != null) ? "&cursor=" + cursor : "")));
            page.get("items").forEach(item -> seen.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        }
        while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
        invalidField(client.get("/api/v1/silences?cursor=bm90LWEtdXVpZA"), "cursor");
    }

    @Test
    void aClientHasAtMostAHundredSilencesThatHaveNotEnded() {
        Api client = newClient();
        for (int i = 0; i < 99; i++) {
            this.jdbc.sql("""
                    INSERT INTO silences (id, client_id, starts_at, ends_at)
                    VALUES (gen_random_uuid(), ?, now(), now() + interval '1 hour')""").param(client.clientId).update();
        }
        // ended ones do not count
        this.jdbc.sql("""
                INSERT INTO silences (id, client_id, starts_at, ends_at)
                VALUES (gen_random_uuid(), ?, now() - interval '2 hours', now() - interval '1 hour')""")
            .param(client.clientId)
            .update();
        String hundredth = body(client.post("/api/v1/silences", Map.of("schedule", NIGHTS))).get("id").asString();

        MvcTestResult refused = client.post("/api/v1/silences", oneOff());
        JsonNode problem = problem(refused, 429);
        assertThat(problem.get("type").asString()).endsWith("/too-many-requests");
        assertThat(refused.getResponse().getHeader("Retry-After")).isEqualTo("60");

        assertThat(client.delete("/api/v1/silences/" + hundredth)).hasStatus(204);
        assertThat(client.post("/api/v1/silences", oneOff())).hasStatus(201);
    }

    @Test
    void theOpenApiDocumentDescribesSilences() {
        JsonNode document = body(this.mvc.get().uri("/v3/api-docs").exchange());
        JsonNode create = document.get("paths").get("/api/v1/silences").get("post").get("responses");
        assertThat(create.propertyNames()).contains("201", "400", "429");
        assertThat(create.get("429").get("headers").has("Retry-After")).isTrue();
        assertThat(document.get("paths").get("/api/v1/silences/{id}").get("delete").get("responses").has("204"))
            .isTrue();
        JsonNode schemas = document.get("components").get("schemas");
        assertThat(schemas.get("SilenceCreation").get("properties").propertyNames()).contains("sensorIds", "statuses",
                "startsAt", "endsAt", "schedule", "comment");
        assertThat(schemas.get("Schedule")
            .get("properties")
            .get("weekdays")
            .get("items")
            .get("enum")
            .valueStream()
            .map(JsonNode::asString)).containsExactly("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
        assertThat(schemas.get("SilenceResponse").get("properties").propertyNames()).contains("active");
    }

    private static Map<String, Object> oneOff() {
        Instant now = Instant.now();
        return Map.of("startsAt", now.toString(), "endsAt", now.plusSeconds(3600).toString());
    }

    private static Map<String, Object> schedule(String field, Object value) {
        Map<String, Object> schedule = new HashMap<>(NIGHTS);
        schedule.put(field, value);
        return schedule;
    }

}
