package io.sensorhub.crud.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.sensorhub.crud.history.HistoryDtos.BucketResponse;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/sensors/{id}/readings/aggregate against this run's PostgreSQL. */
class ReadingsAggregateIntegrationTest extends ApiIntegrationTest {

    /** Midnight UTC two days ago: readings around it fall into two day partitions. */
    private final Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);

    @Autowired
    private HistoryQueries queries;

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void partitions() {
        this.jdbc.sql("SELECT count(*) FROM sensorhub_maintain_partitions(30, 7)").query(Long.class).single();
    }

    @Test
    void bucketsHoldExactStatisticsOldestFirstWithoutEmptyOnesAcrossADayPartition() {
        Api client = newClient();
        String id = sensorId("agg");
        client.createSensor(id);
        Instant from = this.midnight.minus(2, ChronoUnit.HOURS);
        Instant to = this.midnight.plus(2, ChronoUnit.HOURS);
        reading(id, from.minusNanos(1000), 500.0); // before from: left out
        reading(id, from, 1.0); // exactly at from: counted
        reading(id, from.plus(1, ChronoUnit.HOURS).minusNanos(1000), 3.0);
        reading(id, from.plus(90, ChronoUnit.MINUTES), null); // the 23:00 bucket holds no
                                                              // value
        reading(id, this.midnight, 10.0); // the next day's partition
        reading(id, this.midnight.plus(30, ChronoUnit.MINUTES), 20.0);
        reading(id, this.midnight.plus(45, ChronoUnit.MINUTES), 60.0);
        reading(id, this.midnight.plus(75, ChronoUnit.MINUTES), -5.5);
        reading(id, to, 1000.0); // exactly at to: left out

        JsonNode hourly = body(client.get(aggregate(id, "1h", from, to)));
        assertThat(hourly.get("items").valueStream().map(ReadingsAggregateIntegrationTest::bucket).toList())
            .containsExactly(new BucketResponse(from, 2, 1.0, 3.0, 2.0),
                    new BucketResponse(this.midnight, 3, 10.0, 60.0, 30.0),
                    new BucketResponse(this.midnight.plus(1, ChronoUnit.HOURS), 1, -5.5, -5.5, -5.5));
        JsonNode first = hourly.get("items").get(0);
        assertThat(first.get("start").asString()).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(from))
            .endsWith(":00:00Z");
        assertThat(first.get("count").isIntegralNumber()).isTrue();
        assertThat(first.get("avg").isNumber()).isTrue();

        JsonNode quarterly = body(client.get(aggregate(id, "15m", from, to)));
        assertThat(starts(quarterly)).containsExactly(from, from.plus(45, ChronoUnit.MINUTES), this.midnight,
                this.midnight.plus(30, ChronoUnit.MINUTES), this.midnight.plus(45, ChronoUnit.MINUTES),
                this.midnight.plus(75, ChronoUnit.MINUTES));
        assertThat(body(client.get(aggregate(id, "5m", from, to))).get("items").size()).isEqualTo(6);
        assertThat(body(client.get(aggregate(id, "1m", from, to))).get("items").size()).isEqualTo(6);
        assertThat(starts(body(client.get(aggregate(id, "1d", from, to)))))
            .containsExactly(this.midnight.minus(1, ChronoUnit.DAYS), this.midnight);
    }

    /**
     * Buckets are aligned to their width, not to from: the first one starts before from
     * and holds only what lies in the range.
     */
    @Test
    void theFirstBucketMayBePartial() {
        Api client = newClient();
        String id = sensorId("agg");
        client.createSensor(id);
        reading(id, this.midnight.plus(10, ChronoUnit.MINUTES), 7.0);
        reading(id, this.midnight.plus(40, ChronoUnit.MINUTES), 9.0);
        JsonNode body = body(client.get(aggregate(id, "1h", this.midnight.plus(30, ChronoUnit.MINUTES),
                this.midnight.plus(1, ChronoUnit.HOURS))));
        assertThat(body.get("items").valueStream().map(ReadingsAggregateIntegrationTest::bucket).toList())
            .containsExactly(new BucketResponse(this.midnight, 1, 9.0, 9.0, 9.0));
    }

    /**
     * A day bucket starts at 00:00 UTC whatever the session's time zone (St. John's is
     * 3.5 hours behind UTC): the query runs here in a transaction that sets it.
     */
    @Test
    void dayBucketsAreUtcDaysWhateverTheSessionTimeZone() {
        String id = sensorId("tz");
        reading(id, this.midnight.minus(22, ChronoUnit.HOURS), 1.0); // 02:00 UTC, the day
                                                                     // before local
                                                                     // midnight
        reading(id, this.midnight.minus(1, ChronoUnit.HOURS), 3.0); // 23:00 UTC, 19:30
                                                                    // local
        reading(id, this.midnight.plus(1, ChronoUnit.HOURS), 5.0); // 01:00 UTC, 21:30
                                                                   // local of the day
                                                                   // before
        Buckets buckets = Buckets.of("1d", this.midnight.minus(1, ChronoUnit.DAYS).toString(),
                this.midnight.plus(1, ChronoUnit.DAYS).toString(), Instant.now());
        List<BucketResponse> items = new TransactionTemplate(this.transactions).execute(status -> {
            this.jdbc.sql("SET LOCAL TimeZone = 'America/St_Johns'").update();
            assertThat(this.jdbc.sql("SHOW TimeZone").query(String.class).single()).isEqualTo("America/St_Johns");
            return this.queries.aggregate(id, buckets).items();
        });
        assertThat(items).containsExactly(new BucketResponse(this.midnight.minus(1, ChronoUnit.DAYS), 2, 1.0, 3.0, 2.0),
                new BucketResponse(this.midnight, 1, 5.0, 5.0, 5.0));
    }

    @Test
    void defaultsReachBackAsFarAsTheBucketLimitFromTheCurrentBucket() {
        Api client = newClient();
        String id = sensorId("agg");
        client.createSensor(id);
        Instant recent = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
        reading(id, recent, 4.0);
        reading(id, recent.minus(2001, ChronoUnit.MINUTES), 8.0); // beyond 2,000
                                                                  // one-minute buckets
        JsonNode minutes = body(client.get("/api/v1/sensors/" + id + "/readings/aggregate?interval=1m"));
        assertThat(starts(minutes)).containsExactly(recent);
        JsonNode days = body(client.get("/api/v1/sensors/" + id + "/readings/aggregate?interval=1d"));
        assertThat(days.get("items").valueStream().mapToLong(item -> item.get("count").asLong()).sum()).isEqualTo(2);
    }

    @Test
    void badInputIsA400AndSomeoneElsesSensorA404() {
        Api client = newClient();
        String id = sensorId("agg");
        client.createSensor(id);
        String path = "/api/v1/sensors/" + id + "/readings/aggregate";
        String day = "&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z";
        invalidField(client.get(path + "?" + day.substring(1)), "interval");
        for (String interval : List.of("2h", "1M", "1w", "60s", "", "1h%00", "-1h")) {
            invalidField(client.get(path + "?interval=" + interval + day), "interval");
        }
        invalidField(client.get(path + "?interval=1h&from=2026-11-29T10:00:00Z&to=2026-11-29T10:00:00Z"), "from");
        invalidField(client.get(path + "?interval=1h&from=2026-11-29T11:00:00Z&to=2026-11-29T10:00:00Z"), "from");
        invalidField(client.get(path + "?interval=1h&from=yesterday"), "from");
        invalidField(client.get(path + "?interval=1h&to=2026-11-29"), "to");
        invalidField(client.get(path + "?interval=1h&from=2026-11-29T10:00:00"), "from");
        invalidField(client.get(path + "?interval=1d&from=%2B10000-01-01T00:00:00Z"), "from");
        invalidField(client.get(path + "?interval=1d&to=-999999999-01-01T00:00:00Z"), "to");
        invalidField(client.get(path + "?interval=1d&from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59Z"), "interval");

        // 2,000 buckets are allowed; one more is not, counting the bucket a from inside
        // one starts in
        assertThat(client.get(path + "?interval=1m&from=2026-11-29T00:00:00Z&to=2026-11-30T09:20:00Z")).hasStatusOk();
        invalidField(client.get(path + "?interval=1m&from=2026-11-29T00:00:00Z&to=2026-11-30T09:20:00.000001Z"),
                "interval");
        // exactly 2,000 minutes from from to to, but the first bucket starts half a
        // minute before from
        assertThat(client.get(path + "?interval=1m&from=2026-11-29T00:00:30Z&to=2026-11-30T09:20:00Z")).hasStatusOk();
        invalidField(client.get(path + "?interval=1m&from=2026-11-29T00:00:30Z&to=2026-11-30T09:20:30Z"), "interval");
        assertThat(client.get(path + "?interval=1d&from=2026-01-01T00:00:00%2B05:30&to=2026-12-31T23:00:00-05:00"))
            .hasStatusOk();

        problem(client.get("/api/v1/sensors/" + sensorId("none") + "/readings/aggregate?interval=1h"), 404);
        problem(newClient().get(path + "?interval=1h"), 404);
        problem(this.mvc.get().uri(path + "?interval=1h").exchange(), 401);
    }

    /**
     * The endpoint's own SQL, with its parameters, reads only the day partitions that
     * overlap the range, each through the primary key's index alone (no heap, no
     * sequential scan) for one sensor among many: with the values of this call (a custom
     * plan) and as a generic plan of the prepared statement, which pruning at execution
     * start narrows the same way.
     */
    @Test
    void onlyTheDayPartitionsInRangeAreReadByIndexOnly() throws Exception {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant firstDay = today.minus(12, ChronoUnit.DAYS);
        // 40 sensors, a reading every 5 minutes for 4 days
        this.jdbc.sql("""
                INSERT INTO readings (sensor_id, ts, value, status, received_at)
                SELECT 'plan-' || s, :first + i * interval '5 minutes', i % 100, 'OK', now()
                FROM generate_series(0, 4 * 288 - 1) i, generate_series(1, 40) s
                ON CONFLICT DO NOTHING""").param("first", utc(firstDay)).update();
        List<String> days = new ArrayList<>();
        for (int day = 0; day < 4; day++) {
            days.add(partition(firstDay.plus(day, ChronoUnit.DAYS)));
        }
        this.jdbc.sql("VACUUM (ANALYZE) " + String.join(", ", days)).update();
        Instant from = firstDay.plus(1, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);
        Instant to = firstDay.plus(2, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);
        Buckets buckets = Buckets.of("1h", from.toString(), to.toString(), Instant.now());

        JsonNode custom = plan(this.jdbc.sql("EXPLAIN (FORMAT JSON) " + HistoryQueries.AGGREGATE_SQL)
            .param("width", buckets.width().toSeconds() + " seconds")
            .param("sensor", "plan-7")
            .param("from", utc(from))
            .param("to", utc(to))
            .query(String.class)
            .single());
        assertThat(relations(custom)).containsExactlyInAnyOrder(days.get(1), days.get(2));
        assertThat(scans(custom)).containsOnly("Index Only Scan");

        String prepared = HistoryQueries.AGGREGATE_SQL.replace(":width", "$1")
            .replace(":sensor", "$2")
            .replace(":from", "$3")
            .replace(":to", "$4");
        assertThat(prepared).doesNotContain(":width", ":sensor", ":from", ":to");
        try (Connection connection = this.dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("SET plan_cache_mode = force_generic_plan");
            try {
                sql.execute("PREPARE aggregate_plan (varchar, varchar, timestamptz, timestamptz) AS " + prepared);
                try (ResultSet rs = sql.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE aggregate_plan('3600 seconds', "
                        + "'plan-7', '" + from + "', '" + to + "')")) {
                    rs.next();
                    JsonNode generic = plan(rs.getString(1));
                    assertThat(generic.toString()).contains("\"Subplans Removed\"");
                    assertThat(relations(generic)).containsExactlyInAnyOrder(days.get(1), days.get(2));
                    assertThat(scans(generic)).containsOnly("Index Only Scan");
                }
            }
            finally {
                sql.execute("DEALLOCATE ALL");
                sql.execute("RESET plan_cache_mode");
            }
        }
    }

    private JsonNode plan(String json) {
        return this.json.readTree(json).get(0).get("Plan");
    }

    /** The tables a plan reads. */
    private static Set<String> relations(JsonNode node) {
        Set<String> found = new TreeSet<>();
        collect(node, "Relation Name", found);
        return found;
    }

    /** The node types of the plan's scans of readings' partitions. */
    private static Set<String> scans(JsonNode node) {
        Set<String> found = new TreeSet<>();
        if (node.has("Relation Name")) {
            found.add(node.get("Node Type").asString());
        }
        if (node.has("Plans")) {
            node.get("Plans").valueStream().forEach(child -> found.addAll(scans(child)));
        }
        return found;
    }

    private static void collect(JsonNode node, String field, Set<String> found) {
        if (node.has(field)) {
            found.add(node.get(field).asString());
        }
        if (node.has("Plans")) {
            node.get("Plans").valueStream().forEach(child -> collect(child, field, found));
        }
    }

    private static String partition(Instant day) {
        return "readings_p" + DateTimeFormatter.ofPattern("yyyyMMdd").format(day.atOffset(ZoneOffset.UTC));
    }

    private static String aggregate(String id, String interval, Instant from, Instant to) {
        return "/api/v1/sensors/" + id + "/readings/aggregate?interval=" + interval + "&from=" + from + "&to=" + to;
    }

    private static BucketResponse bucket(JsonNode item) {
        return new BucketResponse(Instant.parse(item.get("start").asString()), item.get("count").asLong(),
                item.get("min").asDouble(), item.get("max").asDouble(), item.get("avg").asDouble());
    }

    private static List<Instant> starts(JsonNode body) {
        return body.get("items").valueStream().map(item -> Instant.parse(item.get("start").asString())).toList();
    }

    private void reading(String id, Instant ts, Double value) {
        this.jdbc.sql("INSERT INTO readings (sensor_id, ts, value, status, received_at) VALUES (?, ?, ?, 'OK', now())")
            .params(id, utc(ts), value)
            .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

}
