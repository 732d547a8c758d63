package io.sensorhub.crud.webhooks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The plans PostgreSQL makes of the deliveries listing (every combination of filters and
 * cursor) and of the stats, over a seeded history: a busy webhook with 30,000 deliveries
 * of 200 sensors over three weeks, most succeeded, some dead and pending, an attempt
 * each, beside four quieter webhooks. Each statement is planned as crud-service's
 * connections come to plan it after a few executions (a generic plan) and with its values
 * (a custom plan), with statistics taken with the history in place and while the table
 * was empty (the listing's custom plans only with the history:
 * {@link Statistics#WHILE_EMPTY}). Every delivery and attempt must be reached through an
 * index bounded by the webhook (and the state, sensor, time asked for): the listing reads
 * the newest entries of one range per state, in the index's order (no sort), and the
 * stats read the last hour's range and one entry for each of the last success and
 * failure. An index change or a PostgreSQL upgrade after which one of them reads a
 * webhook's whole history fails here.
 * <p>
 * Everything happens in one transaction, rolled back: the tables are truncated first, so
 * neither other tests' rows nor these statistics outlive it, and EXPLAIN only plans. (The
 * application context is there for the schema it migrates.)
 */
class DeliveryQueryPlansIntegrationTest extends ApiIntegrationTest {

    private static final String BUSY = "00000000-0000-0000-0000-00000000b001";

    private static final String SEED = """
            INSERT INTO clients (id, name, token_hash)
            VALUES ('00000000-0000-0000-0000-00000000c001', 'plans', sha256('plans'::bytea));
            INSERT INTO webhooks (id, client_id, url, secret)
            SELECT ('00000000-0000-0000-0000-00000000b00' || i)::uuid, '00000000-0000-0000-0000-00000000c001',
                   'https://hook-' || i || '.example/', 'whsec_plans'
            FROM generate_series(1, 5) i;
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload, state,
                                            attempt_count, created_at, completed_at)
            SELECT gen_random_uuid(), w.id, gen_random_uuid(), 'sensor.status_changed', 'sensor-' || (i % 200), i, '{}',
                   CASE WHEN i % 97 = 0 THEN 'dead' WHEN i % 89 = 0 THEN 'pending' ELSE 'succeeded' END, 1,
                   now() - make_interval(secs => i * 60), now() - make_interval(secs => i * 60 - 1)
            FROM webhooks w CROSS JOIN generate_series(1, 30000) i
            WHERE w.id = '00000000-0000-0000-0000-00000000b001' OR i <= 2000;
            INSERT INTO webhook_delivery_attempts (delivery_id, webhook_id, attempt, at, status_code, latency_ms, error)
            SELECT id, webhook_id, 1, created_at, CASE WHEN state = 'succeeded' THEN 204 ELSE 500 END, 20,
                   CASE WHEN state = 'succeeded' THEN NULL ELSE 'HTTP 500' END
            FROM webhook_deliveries""";

    private static final String GENERIC = "force_generic_plan";

    private static final String CUSTOM = "force_custom_plan";

    private static final String ANALYZE = "ANALYZE webhook_deliveries; ANALYZE webhook_delivery_attempts";

    /** A named parameter of crud-service's statements (not a {@code ::} cast). */
    private static final Pattern NAMED = Pattern.compile("(?<!:):([a-zA-Z]+[0-9]*)");

    private static final Map<String, String> PARAMETERS = Map.of("webhook", "uuid '" + BUSY + "'", "sensor",
            "text 'sensor-7'", "from", "now() - interval '10 days'", "to", "now() - interval '2 days'", "afterAt",
            "now() - interval '5 days'", "afterId", "gen_random_uuid()", "limit", "51");

    private static final Map<String, String> TYPES = Map.of("webhook", "uuid", "sensor", "varchar", "from",
            "timestamptz", "to", "timestamptz", "afterAt", "timestamptz", "afterId", "uuid", "limit", "int4");

    /** When the tables' statistics were taken, and the listing's plans checked then. */
    enum Statistics {

        /** With the history in place: generic and custom plans. */
        WITH_THE_HISTORY(List.of(GENERIC, CUSTOM), SEED, ANALYZE),

        /**
         * While the tables were empty (a new installation): generic plans only. A custom
         * plan then believes what the values and the empty statistics say, e.g. that a
         * webhook has a handful of dead deliveries, and may read them all from the dead
         * deliveries' partial index and sort them; that lasts until autovacuum analyses
         * the table, which its first thousands of rows call for. A generic plan, which
         * repeated statements come to, knows no values and must walk the listing's index.
         */
        WHILE_EMPTY(List.of(GENERIC), ANALYZE, SEED);

        private final List<String> listingPlans;

        private final List<String> steps;

        Statistics(List<String> listingPlans, String... steps) {
            this.listingPlans = listingPlans;
            this.steps = List.of(steps);
        }

    }

    @ParameterizedTest
    @EnumSource
    void everyListingReadsTheNewestEntriesOfOneIndexRangePerState(Statistics statistics) throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        inSeededTransaction(statistics, List.of(), sql -> {
            for (DeliveryFilter filter : filters()) {
                for (boolean after : new boolean[] { false, true }) {
                    for (String mode : statistics.listingPlans) {
                        Plan plan = plan(sql, DeliveryQueries.listing(filter, after), mode, filter.states());
                        softly.check(() -> assertListingShape(plan, filter, after, mode.equals(GENERIC)));
                    }
                }
            }
        });
        softly.assertAll();
    }

    @ParameterizedTest
    @EnumSource
    void theStatsReadTheLastHourAndOneEntryPerLastOutcomeThroughIndexes(Statistics statistics) throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        inSeededTransaction(statistics, List.of(), sql -> {
            for (String mode : new String[] { GENERIC, CUSTOM }) {
                Plan plan = plan(sql, DeliveryStats.STATS, mode, List.of());
                softly.check(() -> assertStatsShape(plan));
            }
        });
        softly.assertAll();
    }

    /** The checks are no formality: without the index each relies on, they fail. */
    @Test
    void plansWithoutTheirIndexesFailTheChecks() throws SQLException {
        DeliveryFilter bySensor = new DeliveryFilter(null, "sensor-7", null, null);
        inSeededTransaction(Statistics.WITH_THE_HISTORY, List.of("DROP INDEX webhook_deliveries_webhook_sensor_idx",
                "DROP INDEX webhook_delivery_attempts_succeeded_idx"), sql -> {
                    Plan listing = plan(sql, DeliveryQueries.listing(bySensor, false), GENERIC, bySensor.states());
                    assertThatExceptionOfType(AssertionError.class)
                        .isThrownBy(() -> assertListingShape(listing, bySensor, false, true));
                    Plan stats = plan(sql, DeliveryStats.STATS, GENERIC, List.of());
                    assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertStatsShape(stats));
                });
    }

    private static List<DeliveryFilter> filters() {
        Instant from = Instant.now().minusSeconds(10 * 86400);
        Instant to = Instant.now().minusSeconds(2 * 86400);
        List<DeliveryFilter> filters = new ArrayList<>();
        for (String state : new String[] { null, "dead", "succeeded" }) {
            for (String sensor : new String[] { null, "sensor-7" }) {
                filters.add(new DeliveryFilter(state, sensor, null, null));
                filters.add(new DeliveryFilter(state, sensor, from, null));
                filters.add(new DeliveryFilter(state, sensor, null, to));
                filters.add(new DeliveryFilter(state, sensor, from, to));
            }
        }
        return filters;
    }

    /**
     * One index scan per state listed, on the index of the filter, its range bounded by
     * everything asked for. A generic plan, made without the values, must read the newest
     * entries in the index's order (right under a Limit, no sort); a custom plan may
     * instead collect the entries of the range it knows to be small (a bitmap scan) and
     * sort them.
     */
    private static void assertListingShape(Plan plan, DeliveryFilter filter, boolean after, boolean generic) {
        String index = (filter.sensorId() != null) ? "webhook_deliveries_webhook_sensor_idx"
                : "webhook_deliveries_webhook_state_created_idx";
        assertThat(plan.nodes()).as(plan.text()).noneMatch(node -> node.type().equals("Seq Scan"));
        if (generic) {
            assertThat(plan.nodes()).as(plan.text()).noneMatch(node -> node.type().equals("Sort"));
        }
        List<Node> scans = plan.scansOf("webhook_deliveries");
        assertThat(scans).as(plan.text()).hasSize(filter.states().size()).allSatisfy(scan -> {
            assertThat(scan.index()).isEqualTo(index);
            if (generic || !scan.type().equals("Bitmap Index Scan")) {
                assertThat(scan.type()).isIn("Index Scan", "Index Only Scan");
                assertThat(scan.parent()).isEqualTo("Limit");
            }
            assertThat(scan.condition()).contains("webhook_id = ", "state = ");
            if (filter.sensorId() != null) {
                assertThat(scan.condition()).contains("sensor_id");
            }
            if (filter.from() != null) {
                assertThat(scan.condition()).contains("created_at >= ");
            }
            if (filter.to() != null) {
                assertThat(scan.condition()).contains("created_at < ");
            }
            if (after) {
                assertThat(scan.condition()).contains("ROW(created_at, id) < ");
            }
        });
    }

    /**
     * Deliveries counted within the webhook's range of one state (or an index of that
     * state only); attempts read through the outcome indexes by webhook, the last hour's
     * bounded by time, the last success and failure one entry each (under a Limit); never
     * a sequential scan.
     */
    private static void assertStatsShape(Plan plan) {
        assertThat(plan.nodes()).as(plan.text()).noneMatch(node -> node.type().equals("Seq Scan"));
        assertThat(plan.scansOf("webhook_deliveries")).as(plan.text()).hasSize(2).allSatisfy(scan -> {
            assertThat(scan.type()).isIn("Index Scan", "Index Only Scan", "Bitmap Index Scan");
            assertThat(scan.condition()).contains("webhook_id = ");
            assertThat(scan.condition().contains("state = ") || scan.index().equals("webhook_deliveries_dead_idx")
                    || scan.index().equals("webhook_deliveries_order_idx"))
                .as("%s is bounded by the state", scan)
                .isTrue();
        });
        List<Node> attempts = plan.scansOf("webhook_delivery_attempts");
        assertThat(attempts).as(plan.text()).hasSize(4).allSatisfy(scan -> {
            assertThat(scan.type()).isIn("Index Scan", "Index Only Scan", "Bitmap Index Scan");
            assertThat(scan.index()).isIn("webhook_delivery_attempts_succeeded_idx",
                    "webhook_delivery_attempts_failed_idx");
            assertThat(scan.condition()).contains("webhook_id = ");
            assertThat(scan.condition().contains("at >= ") || scan.parent().equals("Limit"))
                .as("%s reads the last hour or one entry", scan)
                .isTrue();
        });
        assertThat(attempts).as(plan.text()).filteredOn(scan -> scan.condition().contains("at >= ")).hasSize(2);
    }

    /**
     * Runs {@code work} in a transaction after the given statements, the seeded history
     * and these statistics; rolls everything back.
     */
    private static void inSeededTransaction(Statistics statistics, List<String> first, SqlWork work)
            throws SQLException {
        try (Connection connection = TestServices.get().openConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute("SET LOCAL lock_timeout = '30s'");
                sql.execute("TRUNCATE webhook_deliveries, webhook_delivery_attempts");
                for (String each : first) {
                    sql.execute(each);
                }
                for (String step : statistics.steps) {
                    sql.execute(step);
                }
                work.run(sql);
            }
            finally {
                connection.rollback();
            }
        }
    }

    /**
     * The plan of a statement of crud-service (named parameters), prepared as the JDBC
     * driver prepares it, in this plan cache mode; {@code :state0}, {@code :state1}, …
     * are the given states.
     */
    private static Plan plan(Statement sql, String statement, String mode, List<String> states) throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher named = NAMED.matcher(statement);
        StringBuilder numbered = new StringBuilder();
        while (named.find()) {
            if (!names.contains(named.group(1))) {
                names.add(named.group(1));
            }
            named.appendReplacement(numbered, "\\$" + (names.indexOf(named.group(1)) + 1));
        }
        named.appendTail(numbered);
        sql.execute("DEALLOCATE ALL");
        sql.execute("SET plan_cache_mode = " + mode);
        sql.execute("PREPARE plan_shape ("
                + String.join(", ", names.stream().map(name -> TYPES.getOrDefault(name, "varchar")).toList()) + ") AS "
                + numbered);
        String arguments = String.join(", ", names.stream()
            .map(name -> name.startsWith("state")
                    ? "'" + states.get(Integer.parseInt(name.substring("state".length()))) + "'" : PARAMETERS.get(name))
            .toList());
        try (ResultSet explained = sql.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE plan_shape (" + arguments + ")")) {
            assertThat(explained.next()).isTrue();
            return Plan.of(explained.getString(1));
        }
    }

    @FunctionalInterface
    private interface SqlWork {

        void run(Statement sql) throws SQLException;

    }

    /**
     * A plan node.
     *
     * @param type the node type
     * @param relation the table scanned (for a bitmap index scan: the table of its index)
     * @param index the index scanned, if any
     * @param condition the index condition, if any
     * @param parent the type of the node above it
     */
    private record Node(String type, String relation, String index, String condition, String parent) {
    }

    /** A plan: its nodes, and the whole as text for the failure messages. */
    private record Plan(List<Node> nodes, String text) {

        static Plan of(String json) {
            JsonNode root = JsonMapper.shared().readTree(json).get(0).get("Plan");
            List<Node> nodes = new ArrayList<>();
            StringBuilder text = new StringBuilder("plan:\n");
            walk(root, "", 0, nodes::add, text);
            return new Plan(nodes, text.toString());
        }

        /** The scans of a table: of its rows or of one of its indexes. */
        List<Node> scansOf(String table) {
            return this.nodes.stream()
                .filter(node -> node.type().contains("Scan") && !node.type().equals("Bitmap Heap Scan"))
                .filter(node -> node.relation().equals(table))
                .toList();
        }

        private static void walk(JsonNode node, String parent, int depth, Consumer<Node> nodes, StringBuilder text) {
            String type = field(node, "Node Type");
            String index = field(node, "Index Name");
            String relation = field(node, "Relation Name");
            if (relation.isEmpty() && index.startsWith("webhook_delivery_attempts")) {
                relation = "webhook_delivery_attempts";
            }
            else if (relation.isEmpty() && index.startsWith("webhook_deliveries")) {
                relation = "webhook_deliveries";
            }
            String condition = field(node, "Index Cond");
            nodes.accept(new Node(type, relation, index, condition, parent));
            text.append("  ".repeat(depth + 1))
                .append(type)
                .append(index.isEmpty() ? "" : " using " + index)
                .append(relation.isEmpty() ? "" : " on " + relation)
                .append(condition.isEmpty() ? "" : " [" + condition + "]")
                .append('\n');
            for (JsonNode child : node.path("Plans")) {
                walk(child, type, depth + 1, nodes, text);
            }
        }

        private static String field(JsonNode node, String name) {
            return node.has(name) ? node.get(name).asString() : "";
        }

    }

}
