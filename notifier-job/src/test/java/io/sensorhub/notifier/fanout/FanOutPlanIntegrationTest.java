package io.sensorhub.notifier.fanout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.notifier.delivery.DeliveryRecords;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan PostgreSQL makes of the fan-out, planned as notifier-job plans it
 * ({@link DeliveryRecords#PLANNER_SETTINGS}: a generic plan) over sensors with a history:
 * each status change the outbox points to must be found by its key, its time included, so
 * that one index entry of one day's partition is read, never a sensor's whole history in
 * every partition (whose cost would grow all day, with every change the sensor made).
 * Planned with the statistics taken with the history in place, and with the sensors
 * analysed but not the changes (a day's partition is analysed only once autovacuum comes
 * by, after enough rows): with the latter, a plain join of the changes was planned as a
 * probe by sensor alone. Not covered: statistics taken while a partition was empty, with
 * which the planner may read it sequentially, whatever the statement says; autovacuum
 * analyses it again after 50 rows.
 * <p>
 * Runs in a transaction of its own, rolled back: the tables are truncated first, so
 * neither other tests' rows nor these statistics outlive it, and EXPLAIN only plans.
 */
@NotifierIntegrationTest
class FanOutPlanIntegrationTest {

    /**
     * A fleet of 100 sensors, 3 of them with 2,000 changes each, 400 in each of the last
     * five UTC days (today's included), the newest in the outbox. Whole days, whatever
     * the time the test runs: a partition holding a few of them (the oldest day's
     * evening, when they were counted back from now) is rightly read sequentially, and
     * then the test failed.
     */
    private static final String HISTORY = """
            WITH client AS (
                INSERT INTO clients (id, name, token_hash)
                VALUES (gen_random_uuid(), 'fan-out plan', sha256(gen_random_uuid()::text::bytea))
                RETURNING id),
            webhook AS (
                INSERT INTO webhooks (id, client_id, url, secret)
                SELECT gen_random_uuid(), id, 'https://plan.example/hook', 'whsec_plan' FROM client),
            sensors AS (
                INSERT INTO sensors (id, client_id, name)
                SELECT 'fan-out-plan-' || s, id, 'plan' FROM client CROSS JOIN generate_series(1, 100) s
                RETURNING id),
            changes AS (
                INSERT INTO status_changes (sensor_id, sequence, previous_status, status, value, reported_at,
                                            changed_at, event_id)
                SELECT s.id, i, 'OK', 'CRITICAL', 95, day.start + make_interval(secs => 216 * (i - 1)),
                       day.start + make_interval(secs => 216 * (i - 1)), gen_random_uuid()
                FROM sensors s CROSS JOIN generate_series(1, 2000) i
                CROSS JOIN (SELECT date_trunc('day', now(), 'UTC') - interval '4 days' AS start) day
                WHERE s.id IN ('fan-out-plan-1', 'fan-out-plan-2', 'fan-out-plan-3')
                RETURNING event_id, sensor_id, sequence, changed_at)
            INSERT INTO status_change_outbox (event_id, sensor_id, sequence, changed_at)
            SELECT event_id, sensor_id, sequence, changed_at FROM changes WHERE sequence = 2000""";

    private static final String ANALYZE = "ANALYZE status_changes, status_change_outbox, sensors";

    /** When the statistics were taken. */
    enum Statistics {

        WITH_THE_HISTORY(HISTORY, ANALYZE),

        /** The changes' partitions not analysed since they were truncated. */
        BEFORE_THE_CHANGES_WERE_ANALYSED(HISTORY, "ANALYZE sensors, status_change_outbox");

        private final List<String> steps;

        Statistics(String... steps) {
            this.steps = List.of(steps);
        }

    }

    @ParameterizedTest
    @EnumSource
    void eachChangeIsFoundByItsKeyInItsDaysPartition(Statistics statistics) throws SQLException {
        Planned planned = plan(statistics);
        List<Scan> scans = statusChangeScans(planned.plan()).stream()
            .filter((scan) -> planned.partitionsWithHistory().contains(scan.partition()))
            .toList();

        // (a partition analysed empty may be planned as a sequential scan of nothing)
        assertThat(scans).hasSameSizeAs(planned.partitionsWithHistory()).allSatisfy((scan) -> {
            assertThat(scan.node()).as(scan.toString()).isIn("Index Scan", "Index Only Scan");
            assertThat(scan.condition()).as(scan.toString()).contains("sensor_id").contains("changed_at");
        });
    }

    private static Planned plan(Statistics statistics) throws SQLException {
        try (Connection connection = TestServices.get().openConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute(DeliveryRecords.PLANNER_SETTINGS);
                sql.execute("SET LOCAL lock_timeout = '30s'");
                sql.execute("TRUNCATE status_changes, status_change_outbox");
                for (String step : statistics.steps) {
                    sql.execute(step);
                }
                List<String> partitions = new ArrayList<>();
                try (ResultSet rows = sql.executeQuery("SELECT DISTINCT tableoid::regclass::text FROM status_changes "
                        + "WHERE sensor_id LIKE 'fan-out-plan-%'")) {
                    while (rows.next()) {
                        partitions.add(rows.getString(1));
                    }
                }
                sql.execute("PREPARE fan_out_plan (text[], int4, timestamptz) AS " + numbered(FanOut.FAN_OUT));
                try (ResultSet explained = sql.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE fan_out_plan("
                        + "'{fan-out-plan-1,fan-out-plan-2,fan-out-plan-3}', 500, now())")) {
                    assertThat(explained.next()).isTrue();
                    return new Planned(JsonMapper.shared().readTree(explained.getString(1)).get(0).get("Plan"),
                            partitions);
                }
            }
            finally {
                connection.rollback();
            }
        }
    }

    /** The statement with JDBC's placeholders numbered, as the driver prepares it. */
    private static String numbered(String sql) {
        StringBuilder numbered = new StringBuilder();
        Matcher placeholder = Pattern.compile("\\?").matcher(sql);
        int count = 0;
        while (placeholder.find()) {
            placeholder.appendReplacement(numbered, "\\$" + (++count));
        }
        placeholder.appendTail(numbered);
        assertThat(count).as("parameters of the fan-out").isEqualTo(3);
        return numbered.toString();
    }

    /** The scans of status_changes' partitions in the plan. */
    private static List<Scan> statusChangeScans(JsonNode node) {
        List<Scan> scans = new ArrayList<>();
        if (field(node, "Relation Name").startsWith("status_changes_p")) {
            scans.add(new Scan(field(node, "Relation Name"), field(node, "Node Type"), field(node, "Index Cond")));
        }
        for (JsonNode child : node.path("Plans")) {
            scans.addAll(statusChangeScans(child));
        }
        return scans;
    }

    private static String field(JsonNode node, String name) {
        return node.has(name) ? node.get(name).asString() : "";
    }

    /** A plan, and the partitions of status_changes that hold the sensors' history. */
    private record Planned(JsonNode plan, List<String> partitionsWithHistory) {
    }

    /** A scan of one partition of status_changes. */
    private record Scan(String partition, String node, String condition) {
    }

}
