package io.sensorhub.notifier.delivery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The plans PostgreSQL makes of the delivery loop's hot statements, planned as the loop
 * plans them ({@link DeliveryRecords#PLANNER_SETTINGS}: generic plans) over a backlog:
 * thousands of ready deliveries of a host at its concurrency limit, two hosts with due
 * and retrying ones, a dead endpoint's queue waiting behind its heads, dead deliveries
 * and a history of succeeded ones. Each statement is planned with the statistics taken
 * with the backlog in place, while the table was empty, and while nothing was pending
 * (which makes the planner believe the queue's partial indexes empty however full they
 * are). Whatever it believes, every delivery must be reached by an index probe: a
 * PostgreSQL upgrade or an index change after which one of these statements scans a
 * backlog fails here.
 * <p>
 * Each case runs in a transaction of its own, rolled back: the table is truncated first,
 * so neither other tests' rows nor these statistics outlive it, and EXPLAIN only plans.
 */
@NotifierIntegrationTest
class DeliveryPlansIntegrationTest {

    private static final String HOST_INDEX = "webhook_deliveries_host_ready_idx";

    private static final String ORDER_INDEX = "webhook_deliveries_order_idx";

    private static final String PRIMARY_KEY = "webhook_deliveries_pkey";

    /** An index condition that takes the host from the row of the outer hosts list. */
    private static final Pattern PER_HOST = Pattern.compile("\\(host = \\w+\\.host\\)");

    /** Leases of up to 128 deliveries, 32 per host; host-1 has 32 in flight already. */
    private static final Prepared CLAIM = new Prepared(DeliveryRecords.CLAIM,
            "int4, text[], int4[], int4, int4, varchar, float8",
            "(32, '{host-1.example}', '{32}', 128, 128, 'plan-shapes', 120)");

    private static final Prepared RECORD = new Prepared(DeliveryRecords.RECORD,
            "uuid[], int4[], timestamptz[], int4[], int4[], text[], text[], timestamptz[], text[], varchar",
            "(ARRAY[gen_random_uuid()], '{1}', ARRAY[now()], '{204}', '{12}', '{NULL}', '{succeeded}', '{NULL}', "
                    + "'{ok}', 'plan-shapes')");

    private static final Prepared NEXT_WAKE_UP = new Prepared(DeliveryRecords.NEXT_WAKE_UP, "", "");

    /**
     * The alias of the hosts list's next step (the subquery of its recursive term), which
     * EXPLAIN on PostgreSQL 15 leaves out of the plan of the whole statement.
     */
    private static final String NEXT_HOST_ALIAS = "n";

    /**
     * The hosts list's next step on its own, the host before it a parameter, as it is
     * planned inside the statement.
     */
    private static final Prepared NEXT_HOST = new Prepared(nextHostStep(), "text", "('host-1.example')");

    /** Five webhooks of one client, on host-1.example … host-5.example. */
    private static final String WEBHOOKS = """
            WITH client AS (
                INSERT INTO clients (id, name, token_hash)
                VALUES (gen_random_uuid(), 'plan shapes', sha256(gen_random_uuid()::text::bytea))
                RETURNING id)
            INSERT INTO webhooks (id, client_id, url, secret)
            SELECT gen_random_uuid(), client.id, 'https://host-' || i || '.example/hook', 'whsec_plans'
            FROM client CROSS JOIN generate_series(1, 5) i""";

    /** 10,000 finished deliveries, a thousand of host-5's dead. */
    private static final String HISTORY = """
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload, state,
                                            attempt_count, completed_at)
            SELECT gen_random_uuid(), w.id, gen_random_uuid(), 'sensor.status_changed', 'sensor-' || i, i, '{}',
                   CASE WHEN w.url = 'https://host-5.example/hook' AND i <= 1000 THEN 'dead' ELSE 'succeeded' END,
                   1, now()
            FROM webhooks w CROSS JOIN generate_series(1, 2000) i
            WHERE w.url LIKE 'https://host-_.example/hook'""";

    /**
     * 9,400 pending deliveries: host-1 (at its limit) 5,000 due, one per sensor, its 32
     * oldest leased; host-2 and host-3 200 each, half due, half retrying later; host-4, a
     * dead endpoint, 20 sensors' heads retrying in an hour and 3,980 deliveries waiting
     * behind them.
     */
    private static final String BACKLOG = """
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                                            next_attempt_at, locked_by, locked_until)
            SELECT gen_random_uuid(), w.id, gen_random_uuid(), 'sensor.status_changed', 'sensor-' || i, 5000, '{}',
                   now() - make_interval(secs => 6000 - i), CASE WHEN i <= 32 THEN 'elsewhere' END,
                   CASE WHEN i <= 32 THEN now() + interval '2 minutes' END
            FROM webhooks w CROSS JOIN generate_series(1, 5000) i
            WHERE w.url = 'https://host-1.example/hook';
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                                            attempt_count, next_attempt_at)
            SELECT gen_random_uuid(), w.id, gen_random_uuid(), 'sensor.status_changed', 'sensor-' || i, 5000, '{}',
                   CASE WHEN i > 100 THEN 1 ELSE 0 END, now() + make_interval(secs => i - 100)
            FROM webhooks w CROSS JOIN generate_series(1, 200) i
            WHERE w.url IN ('https://host-2.example/hook', 'https://host-3.example/hook');
            INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, sensor_id, sequence, payload,
                                            attempt_count, next_attempt_at, waiting)
            SELECT gen_random_uuid(), w.id, gen_random_uuid(), 'sensor.status_changed', 'sensor-' || s, 5000 + q, '{}',
                   CASE WHEN q = 1 THEN 5 ELSE 0 END, now() + interval '1 hour', q > 1
            FROM webhooks w CROSS JOIN generate_series(1, 20) s CROSS JOIN generate_series(1, 200) q
            WHERE w.url = 'https://host-4.example/hook'""";

    private static final String ANALYZE = "ANALYZE webhook_deliveries";

    /** When the table's statistics were taken. */
    enum Statistics {

        /** With the backlog in place: what the planner sees once it has been analysed. */
        WITH_THE_BACKLOG(HISTORY, BACKLOG, ANALYZE),

        /**
         * While the table was empty (a new installation). Not covered: statistics taken
         * after every row was deleted but before a vacuum gave the pages back
         * ({@code reltuples} 0 over pages still there). Every index then looks empty and
         * free to read in full, and which one a lookup by id takes is the planner's whim;
         * that lasts until autovacuum's next visit, which 50 changed rows call for.
         */
        WHILE_EMPTY(ANALYZE, HISTORY, BACKLOG),

        /**
         * While nothing was pending (a drained queue): the partial indexes analysed
         * empty, the history not.
         */
        WHILE_NOTHING_WAS_PENDING(HISTORY, ANALYZE, BACKLOG);

        private final List<String> steps;

        Statistics(String... steps) {
            this.steps = List.of(steps);
        }

    }

    @ParameterizedTest
    @EnumSource
    void theClaimReachesDeliveriesThroughTheHostIndexAndLocksThemThroughThePrimaryKey(Statistics statistics)
            throws SQLException {
        assertClaimShape(plan(statistics, CLAIM));
    }

    @ParameterizedTest
    @EnumSource
    void recordingLooksDeliveriesUpAndLocksThemByPrimaryKey(Statistics statistics) throws SQLException {
        Plan plan = plan(statistics, RECORD);

        assertProbes(plan, Map.of("d", Probe.BY_ID));
        assertLocksByPrimaryKey(plan);
    }

    @ParameterizedTest
    @EnumSource
    void theNextWakeUpProbesEachHostWithReadyDeliveries(Statistics statistics) throws SQLException {
        Plan plan = plan(statistics, NEXT_WAKE_UP);

        assertProbes(plan, Map.of("webhook_deliveries", Probe.HOSTS, NEXT_HOST_ALIAS, Probe.HOSTS, "d", Probe.HOSTS));
        assertThat(plan.scans()).as(plan.text())
            .filteredOn((scan) -> scan.statementAlias().equals("d"))
            .singleElement()
            .satisfies((scan) -> assertThat(scan.condition()).containsPattern(PER_HOST));
    }

    @ParameterizedTest
    @EnumSource
    void theListOfHostsStepsFromHostToHostThroughTheHostIndex(Statistics statistics) throws SQLException {
        Plan plan = plan(statistics, NEXT_HOST);

        assertProbes(plan, Map.of(NEXT_HOST_ALIAS, Probe.HOSTS));
        assertThat(plan.scans()).as(plan.text())
            .allSatisfy((scan) -> assertThat(scan.condition()).contains("(host > "));
    }

    /** The check is no formality: without the host index, the claim's plan fails it. */
    @Test
    void aClaimPlannedWithoutTheHostIndexFailsTheCheck() throws SQLException {
        Plan plan = plan(Statistics.WITH_THE_BACKLOG, CLAIM, "DROP INDEX " + HOST_INDEX);

        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertClaimShape(plan));
    }

    private static void assertClaimShape(Plan plan) {
        assertProbes(plan, Map.of("webhook_deliveries", Probe.HOSTS, NEXT_HOST_ALIAS, Probe.HOSTS, "c", Probe.HOSTS,
                "e", Probe.ORDER, "d", Probe.BY_ID));
        assertThat(plan.scans()).as(plan.text())
            .filteredOn((scan) -> scan.statementAlias().equals("c"))
            .singleElement()
            .satisfies((scan) -> assertThat(scan.condition()).containsPattern(PER_HOST));
        assertLocksByPrimaryKey(plan);
    }

    /**
     * Every scan of webhook_deliveries is the probe meant for it, by the table's alias in
     * the statement, and each alias is there (but the hosts list's next step, when part
     * of a larger statement: {@link #NEXT_HOST_ALIAS}).
     */
    private static void assertProbes(Plan plan, Map<String, Probe> probeByAlias) {
        List<String> shown = probeByAlias.keySet()
            .stream()
            .filter((alias) -> probeByAlias.size() == 1 || !alias.equals(NEXT_HOST_ALIAS))
            .toList();
        assertThat(plan.scans()).as(plan.text())
            .extracting(Scan::statementAlias)
            .isSubsetOf(probeByAlias.keySet())
            .containsAll(shown);
        assertThat(plan.scans()).as(plan.text()).allSatisfy((scan) -> {
            Probe probe = probeByAlias.get(scan.statementAlias());
            assertThat(scan.node()).isIn("Index Scan", "Index Only Scan");
            assertThat(scan.index()).isEqualTo(probe.index());
            if (probe.firstEntries()) {
                assertThat(scan.limited()).as("%s reads only the first entries (under a Limit)", scan.alias()).isTrue();
            }
            else {
                assertThat(scan.condition()).isNotEmpty();
            }
        });
    }

    /** Rows are locked one by one, each found by its id in the primary key. */
    private static void assertLocksByPrimaryKey(Plan plan) {
        assertThat(plan.scans()).as(plan.text()).filteredOn(Scan::locked).isNotEmpty().allSatisfy((scan) -> {
            assertThat(scan.index()).isEqualTo(PRIMARY_KEY);
            assertThat(scan.condition()).startsWith("(id = ");
        });
    }

    /**
     * The subquery of the hosts list's recursive term, its reference to the host before a
     * parameter.
     */
    private static String nextHostStep() {
        Matcher step = Pattern
            .compile("\\((SELECT \\S+ FROM webhook_deliveries n\\s.*?)\\)\\s+FROM hosts h", Pattern.DOTALL)
            .matcher(DeliveryRecords.NEXT_WAKE_UP);
        assertThat(step.find()).as("the hosts list's next step in %s", DeliveryRecords.NEXT_WAKE_UP).isTrue();
        return step.group(1).replace("h.host", "?");
    }

    /**
     * The plan of a statement in a session set up as the delivery loop's, after the given
     * statements (in the same transaction) and the backlog, with these statistics.
     */
    private static Plan plan(Statistics statistics, Prepared statement, String... first) throws SQLException {
        try (Connection connection = TestServices.get().openConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute(DeliveryRecords.PLANNER_SETTINGS);
                sql.execute("SET LOCAL lock_timeout = '30s'");
                sql.execute("TRUNCATE webhook_deliveries, webhook_delivery_attempts");
                for (String each : first) {
                    sql.execute(each);
                }
                sql.execute(WEBHOOKS);
                for (String step : statistics.steps) {
                    sql.execute(step);
                }
                sql.execute(statement.prepare());
                try (ResultSet explained = sql.executeQuery("EXPLAIN (FORMAT JSON) " + statement.execute())) {
                    assertThat(explained.next()).isTrue();
                    return Plan.of(explained.getString(1));
                }
            }
            finally {
                connection.rollback();
            }
        }
    }

    /**
     * How a scan must reach deliveries: through this index, reading either only the first
     * entries of an ordered range (a Limit right above it), or the entries matching its
     * index condition.
     */
    private record Probe(String index, boolean firstEntries) {

        /** The first entries of the host index: one host's oldest, or the next host. */
        static final Probe HOSTS = new Probe(HOST_INDEX, true);

        /** The earlier pending deliveries of one webhook and sensor. */
        static final Probe ORDER = new Probe(ORDER_INDEX, false);

        /** One delivery, by its id. */
        static final Probe BY_ID = new Probe(PRIMARY_KEY, false);

    }

    /**
     * A statement of {@link DeliveryRecords} prepared as JDBC prepares it, and the
     * arguments to explain it with.
     */
    private record Prepared(String sql, String parameterTypes, String arguments) {

        private static final String NAME = "plan_shape";

        String prepare() {
            StringBuilder numbered = new StringBuilder();
            Matcher placeholder = Pattern.compile("\\?").matcher(this.sql);
            int count = 0;
            while (placeholder.find()) {
                placeholder.appendReplacement(numbered, "\\$" + (++count));
            }
            placeholder.appendTail(numbered);
            assertThat(count).as("parameters of %s", this.sql)
                .isEqualTo(this.parameterTypes.isEmpty() ? 0 : this.parameterTypes.split(",").length);
            String types = this.parameterTypes.isEmpty() ? "" : " (" + this.parameterTypes + ")";
            return "PREPARE " + NAME + types + " AS " + numbered;
        }

        String execute() {
            return "EXECUTE " + NAME + this.arguments;
        }

    }

    /**
     * A plan: the scans of webhook_deliveries in it, and the whole as text for the
     * failure messages.
     */
    private record Plan(List<Scan> scans, String text) {

        static Plan of(String json) {
            JsonNode root = JsonMapper.shared().readTree(json).get(0).get("Plan");
            List<Scan> scans = new ArrayList<>();
            StringBuilder text = new StringBuilder("plan:\n");
            walk(root, "", 0, false, scans, text);
            return new Plan(scans, text.toString());
        }

        private static void walk(JsonNode node, String parent, int depth, boolean locked, List<Scan> scans,
                StringBuilder text) {
            String type = field(node, "Node Type");
            text.append("  ".repeat(depth + 1)).append(type);
            append(text, " (", field(node, "Subplan Name"), ")");
            append(text, " using ", field(node, "Index Name"), "");
            append(text, " on ", field(node, "Relation Name"), " " + field(node, "Alias"));
            append(text, " [", field(node, "Index Cond"), "]");
            text.append('\n');
            if (field(node, "Relation Name").equals("webhook_deliveries") && !type.equals("ModifyTable")) {
                scans.add(new Scan(field(node, "Alias"), type, field(node, "Index Name"), field(node, "Index Cond"),
                        parent.equals("Limit"), locked));
            }
            for (JsonNode child : node.path("Plans")) {
                walk(child, type, depth + 1, locked || type.equals("LockRows"), scans, text);
            }
        }

        private static String field(JsonNode node, String name) {
            return node.has(name) ? node.get(name).asString() : "";
        }

        private static void append(StringBuilder text, String before, String value, String after) {
            if (!value.isEmpty()) {
                text.append(before).append(value).append(after);
            }
        }

    }

    /**
     * A scan of webhook_deliveries.
     *
     * @param alias the table's alias in the plan
     * @param node the kind of scan
     * @param index the index scanned, if any
     * @param condition the index condition, if any
     * @param limited whether a Limit is right above it
     * @param locked whether the rows found are locked (under a LockRows node)
     */
    private record Scan(String alias, String node, String index, String condition, boolean limited, boolean locked) {

        /** The alias as the statement writes it (the plan numbers repeats: d_1, d_2). */
        String statementAlias() {
            return this.alias.replaceFirst("_\\d+$", "");
        }

    }

}
