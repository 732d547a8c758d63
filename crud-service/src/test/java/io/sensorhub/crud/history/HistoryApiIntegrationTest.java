package io.sensorhub.crud.history;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryApiIntegrationTest extends ApiIntegrationTest {

    private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS);

    @BeforeEach
    void partitions() {
        this.jdbc.sql("SELECT count(*) FROM sensorhub_maintain_partitions(30, 7)").query(Long.class).single();
    }

    @Test
    void readingsAreNewestFirstWithinTheRangeAndPaged() {
        Api client = newClient();
        String id = sensorId("r");
        client.createSensor(id);
        for (int day = 0; day < 3; day++) {
            for (int minute = 0; minute < 3; minute++) {
                reading(id, this.today.minus(day, ChronoUnit.DAYS).plus(minute, ChronoUnit.MINUTES), day * 10 + minute);
            }
        }
        JsonNode all = body(client.get("/api/v1/sensors/" + id + "/readings"));
        assertThat(values(all)).containsExactly(2.0, 1.0, 0.0, 12.0, 11.0, 10.0, 22.0, 21.0, 20.0);

        String from = this.today.minus(1, ChronoUnit.DAYS).toString();
        String to = this.today.plus(2, ChronoUnit.MINUTES).toString();
        String range = "/api/v1/sensors/" + id + "/readings?from=" + from + "&to=" + to;
        JsonNode first = body(client.get(range + "&limit=2"));
        assertThat(values(first)).containsExactly(1.0, 0.0);
        JsonNode second = body(client.get(range + "&limit=3&cursor=" + first.get("nextCursor").asString()));
        assertThat(values(second)).containsExactly(12.0, 11.0, 10.0);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        JsonNode reading = first.get("items").get(0);
        assertThat(reading.get("status").asString()).isEqualTo("OK");
        assertThat(reading.get("timestamp").asString()).isEqualTo(this.today.plus(1, ChronoUnit.MINUTES).toString());
    }

    @Test
    void statusChangesAreNewestFirstAndPaged() {
        Api client = newClient();
        String id = sensorId("c");
        client.createSensor(id);
        for (int sequence = 1; sequence <= 3; sequence++) {
            this.jdbc.sql("""
                    INSERT INTO status_changes (sensor_id, sequence, previous_status, status, value, reported_at,
                        changed_at, event_id) VALUES (?, ?, 'OK', 'WARNING', ?, ?, ?, gen_random_uuid())""")
                .params(id, sequence, 80.0 + sequence, utc(this.today.plusSeconds(sequence)),
                        utc(this.today.plusSeconds(sequence)))
                .update();
        }
        JsonNode first = body(client.get("/api/v1/sensors/" + id + "/status-changes?limit=2"));
        assertThat(sequences(first)).containsExactly(3L, 2L);
        JsonNode change = first.get("items").get(0);
        assertThat(change.get("previousStatus").asString()).isEqualTo("OK");
        assertThat(change.get("status").asString()).isEqualTo("WARNING");
        assertThat(change.get("value").asDouble()).isEqualTo(83.0);
        assertThat(change.has("reportedAt")).isTrue();
        assertThat(change.has("changedAt")).isTrue();
        JsonNode second = body(client
            .get("/api/v1/sensors/" + id + "/status-changes?limit=2&cursor=" + first.get("nextCursor").asString()));
        assertThat(sequences(second)).containsExactly(1L);
        assertThat(body(client.get("/api/v1/sensors/" + id + "/status-changes?to=" + this.today.plusSeconds(2)))
            .get("items")
            .size()).isEqualTo(1);
    }

    @Test
    void rangeAndPagingParametersAreValidated() {
        Api client = newClient();
        String id = sensorId("v");
        client.createSensor(id);
        String path = "/api/v1/sensors/" + id + "/readings";
        invalidField(client.get(path + "?from=2026-11-29T10:00:00Z&to=2026-11-29T09:00:00Z"), "from");
        invalidField(client.get(path + "?from=yesterday"), "from");
        invalidField(client.get(path + "?limit=0"), "limit");
        invalidField(client.get(path + "?cursor=bm90LWEtbnVtYmVy"), "cursor");
        invalidField(client.get("/api/v1/sensors/" + id + "/status-changes?cursor=MTIz"), "cursor");
        problem(client.get("/api/v1/sensors/" + sensorId("none") + "/readings"), 404);
        problem(client.get("/api/v1/sensors/" + sensorId("none") + "/status-changes"), 404);
        assertThat(client.get(path + "?from=2026-11-29T11:00:00%2B01:00")).hasStatusOk();
        assertThat(client.get(path + "?from=2026-11-29T11:00:00.123456-05:00&to=2026-11-30T00:00:00Z")).hasStatusOk();
    }

    /**
     * The queries name their time range, so PostgreSQL plans only the partitions of the
     * days asked for.
     */
    @Test
    void aRangeOfOneDayReadsOnlyThatDaysPartition() {
        String readings = explain("""
                EXPLAIN SELECT ts, value, status, reported_status, received_at FROM readings
                WHERE sensor_id = :sensor AND ts >= :from AND ts < :to ORDER BY ts DESC LIMIT :limit""");
        assertThat(partitionsIn(readings, "readings_p")).hasSize(1);
        String changes = explain("""
                EXPLAIN SELECT sequence FROM status_changes
                WHERE sensor_id = :sensor AND changed_at >= :from AND changed_at < :to
                ORDER BY changed_at DESC, sequence DESC LIMIT :limit""");
        assertThat(partitionsIn(changes, "status_changes_p")).hasSize(1);
    }

    private String explain(String sql) {
        return String.join("\n",
                this.jdbc.sql(sql)
                    .param("sensor", "x")
                    .param("from", utc(this.today.minus(1, ChronoUnit.HOURS)))
                    .param("to", utc(this.today.plus(1, ChronoUnit.HOURS)))
                    .param("limit", 10)
                    .query(String.class)
                    .list());
    }

    private static List<String> partitionsIn(String plan, String prefix) {
        return java.util.regex.Pattern.compile(prefix + "\\d{8}")
            .matcher(plan)
            .results()
            .map(java.util.regex.MatchResult::group)
            .distinct()
            .toList();
    }

    private void reading(String id, Instant ts, double value) {
        this.jdbc.sql("INSERT INTO readings (sensor_id, ts, value, status, received_at) VALUES (?, ?, ?, 'OK', now())")
            .params(id, utc(ts), value)
            .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static List<Double> values(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("value").asDouble()).toList();
    }

    private static List<Long> sequences(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("sequence").asLong()).toList();
    }

}
