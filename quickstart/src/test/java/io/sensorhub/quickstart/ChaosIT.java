package io.sensorhub.quickstart;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.common.test.TcpProxy;
import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jepsen-style check of the whole pipeline under faults, with the built jars as separate
 * JVMs. While a confirming publisher sends 20,000 readings over 500 sensors (values
 * crossing the thresholds), sensor-consumer and notifier-job are each SIGKILLed twice,
 * the broker closes every AMQP connection, and PostgreSQL is unreachable for a few
 * seconds. The faults are triggered by the publisher's progress, not by the clock, so
 * they always fall inside the ingest. At the end it counts what must be zero: lost
 * readings (confirmed, not stored), duplicated readings, sequence gaps, status changes
 * other than those the readings give, status changes without exactly one delivery per
 * matching webhook, deliveries out of order per (webhook, sensor), and valid readings
 * dead-lettered.
 */
class ChaosIT {

    private static final int SENSORS = 500;

    static final int READINGS_PER_SENSOR = 40;

    private static final int READINGS = SENSORS * READINGS_PER_SENSOR;

    private static final double[] VALUES = { 50, 50, 85, 95, 50, 5, 15, 50, 50, 50, 92 };

    private final TestServices services = TestServices.get();

    private final TcpProxy postgres = new TcpProxy(this.services.postgresHost(), this.services.postgresPort());

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ServiceJars jars = new ServiceJars(this.services, "chaos-it");

    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();

    @AfterEach
    void stopEverything() throws Exception {
        this.jars.close();
        this.postgres.close();
    }

    @Test
    void faultsDuringIngestLoseDuplicateReorderAndMisdeliverNothing() throws Exception {
        for (String name : List.of("crud-service", "sensor-consumer", "notifier-job")) {
            launch(name); // all three start at once
        }
        for (ServiceProcess process : this.running.values()) {
            process.awaitReady();
        }
        URI api = URI.create("http://127.0.0.1:" + this.running.get("crud-service").port());
        String clientToken = post(api, "/api/v1/clients", this.jars.adminToken(), "{\"name\": \"chaos\"}").path("token")
            .asString();
        try (ChaosReceiver receiver = new ChaosReceiver()) {
            JsonNode all = post(api, "/api/v1/webhooks", clientToken, "{\"url\": \"" + receiver.url("all") + "\"}");
            JsonNode critical = post(api, "/api/v1/webhooks", clientToken,
                    "{\"url\": \"" + receiver.url("critical") + "\", \"statuses\": [\"CRITICAL\"]}");
            receiver.verify("all", all.path("secret").asString());
            receiver.verify("critical", critical.path("secret").asString());
            registerSensors(api, clientToken);

            AtomicInteger confirmed = new AtomicInteger();
            Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            CompletableFuture<Void> publishing;
            try (ChaosPublisher publisher = new ChaosPublisher(this.services)) {
                publishing = CompletableFuture.runAsync(() -> publisher.publishAll(sensorIds(), base, confirmed));
                faultsWhilePublishing(confirmed, publishing);
                publishing.get(10, TimeUnit.MINUTES);
                System.out.printf("chaos: %d readings confirmed, %d publish retries%n", confirmed.get(),
                        publisher.retries());
            }
            awaitQuiet(receiver);
            Counts counts = count(receiver, uuid(all), uuid(critical));
            System.out.println("chaos: " + counts);
            assertThat(counts).isEqualTo(Counts.NONE);
            assertThat(receiver.unverified()).as("deliveries whose signature did not verify").isZero();
        }
    }

    /** The faults, each when the publisher has reached a share of the readings. */
    private void faultsWhilePublishing(AtomicInteger confirmed, CompletableFuture<Void> publishing) throws Exception {
        awaitConfirmed(confirmed, publishing, 0.10);
        restart("sensor-consumer");
        awaitConfirmed(confirmed, publishing, 0.20);
        restart("notifier-job");
        awaitConfirmed(confirmed, publishing, 0.35);
        System.out.printf("chaos: the broker closed %d connections%n", closeBrokerConnections());
        awaitConfirmed(confirmed, publishing, 0.50);
        this.postgres.cut();
        TimeUnit.SECONDS.sleep(4);
        this.postgres.restore();
        awaitConfirmed(confirmed, publishing, 0.65);
        restart("sensor-consumer");
        awaitConfirmed(confirmed, publishing, 0.80);
        restart("notifier-job");
    }

    private static void awaitConfirmed(AtomicInteger confirmed, CompletableFuture<Void> publishing, double share) {
        await().atMost(Duration.ofMinutes(5))
            .until(() -> confirmed.get() >= READINGS * share || publishing.isCompletedExceptionally());
        assertThat(publishing).isNotCompletedExceptionally();
    }

    /**
     * Every reading stored, every change fanned out, every delivery settled and received.
     */
    private void awaitQuiet(ChaosReceiver receiver) {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try (Connection db = database()) {
                return single(db, "SELECT count(*) FROM readings") == READINGS
                        && single(db, "SELECT count(*) FROM status_change_outbox") == 0
                        && single(db, "SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'") == 0;
            }
        });
    }

    private Counts count(ChaosReceiver receiver, String all, String critical) throws Exception {
        try (Connection db = database()) {
            long stored = single(db, "SELECT count(DISTINCT (sensor_id, ts)) FROM readings");
            long duplicated = single(db, "SELECT count(*) FROM readings") - stored;
            long gaps = single(db,
                    """
                            SELECT count(*) FROM sensor_state s
                            WHERE s.sequence <> (SELECT count(*) FROM status_changes c WHERE c.sensor_id = s.sensor_id)
                               OR s.sequence <> (SELECT coalesce(max(sequence), 0) FROM status_changes c WHERE c.sensor_id = s.sensor_id)""");
            long wrongChanges = 0;
            for (String sensor : sensorIds()) {
                if (!changes(db, sensor).equals(expectedChanges(sensor))) {
                    wrongChanges++;
                }
            }
            long misdelivered = single(db, """
                    SELECT count(*) FROM status_changes c
                    WHERE (SELECT count(*) FROM webhook_deliveries d
                           WHERE d.event_id = c.event_id AND d.webhook_id = '%1$s' AND d.state = 'succeeded') <> 1
                       OR (SELECT count(*) FROM webhook_deliveries d
                           WHERE d.event_id = c.event_id AND d.webhook_id = '%2$s' AND d.state = 'succeeded')
                          <> CASE WHEN c.status = 'CRITICAL' THEN 1 ELSE 0 END""".formatted(all, critical));
            long notReceived = receiver.missing("all", query(db, "SELECT event_id::text FROM status_changes"))
                    + receiver.missing("critical",
                            query(db, "SELECT event_id::text FROM status_changes WHERE status = 'CRITICAL'"));
            return new Counts(READINGS - stored, duplicated, gaps, wrongChanges, misdelivered + notReceived,
                    receiver.outOfOrder(), deadLetters());
        }
    }

    /** What every count must be. */
    record Counts(long lostReadings, long duplicatedReadings, long sequenceGaps, long sensorsWithWrongChanges,
            long changesWithoutExactlyOneDelivery, long deliveriesOutOfOrder, long deadLetteredReadings) {

        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

    }

    private static List<String> sensorIds() {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < SENSORS; s++) {
            ids.add("chaos-" + s);
        }
        return ids;
    }

    /**
     * Reading k of sensor s: the values cycle through OK, WARNING and CRITICAL, shifted
     * per sensor.
     */
    static double value(int sensor, int k) {
        return VALUES[(k + sensor) % VALUES.length];
    }

    private static List<String> expectedChanges(String sensor) {
        int s = Integer.parseInt(sensor.substring("chaos-".length()));
        List<String> changes = new ArrayList<>();
        String current = "UNKNOWN";
        for (int k = 0; k < READINGS_PER_SENSOR; k++) {
            double value = value(s, k);
            String status = (value >= 95) ? "CRITICAL" : (value >= 80) ? "WARNING" : "OK";
            if (!status.equals(current)) {
                changes.add(current + "->" + status);
                current = status;
            }
        }
        return changes;
    }

    private static List<String> changes(Connection db, String sensor) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT previous_status || '->' || status FROM status_changes WHERE sensor_id = ? ORDER BY sequence")) {
            statement.setString(1, sensor);
            return rows(statement);
        }
    }

    private void registerSensors(URI api, String token) {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (String id : sensorIds()) {
            String body = "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"heartbeatSeconds\": 3600, "
                    + "\"thresholds\": {\"warnHigh\": 80, \"critHigh\": 95}}";
            pending.add(this.http.sendAsync(request(api, "/api/v1/sensors", token, body),
                    HttpResponse.BodyHandlers.ofString()));
            if (pending.size() == 10) {
                pending.forEach(response -> assertThat(response.join().statusCode()).isEqualTo(201));
                pending.clear();
            }
        }
        pending.forEach(response -> assertThat(response.join().statusCode()).isEqualTo(201));
    }

    private JsonNode post(URI api, String path, String token, String body) throws Exception {
        HttpResponse<String> response = this.http.send(request(api, path, token, body),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JsonMapper.shared().readTree(response.body());
    }

    private static HttpRequest request(URI api, String path, String token, String body) {
        return HttpRequest.newBuilder(api.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private void start(String name) throws Exception {
        launch(name).awaitReady();
    }

    private ServiceProcess launch(String name) throws Exception {
        String database = this.services.jdbcUrl().substring(this.services.jdbcUrl().lastIndexOf('/') + 1);
        ServiceProcess process = this.jars.launch(name,
                Map.of("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + this.postgres.port() + "/" + database,
                        "sensorhub.webhooks.retry-schedule", "200ms,500ms,1s,1s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s",
                        "sensorhub.webhooks.timeout", "3s", "sensorhub.webhooks.lease", "10s",
                        "sensorhub.ingest.retry-max-delay", "1s"));
        this.running.put(name, process);
        return process;
    }

    private void restart(String name) throws Exception {
        System.out.printf("chaos: SIGKILL %s%n", name);
        this.running.get(name).kill();
        start(name);
    }

    /**
     * Closes every AMQP connection of this run's virtual host from the broker's side (the
     * management API).
     */
    private int closeBrokerConnections() throws Exception {
        String vhost = URLEncoder.encode(this.services.amqpVirtualHost(), StandardCharsets.UTF_8);
        HttpResponse<String> list = this.http.send(management("/api/vhosts/" + vhost + "/connections").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as("the management API (enabled by .ci/run)").isEqualTo(200);
        int closed = 0;
        for (JsonNode connection : JsonMapper.shared().readTree(list.body())) {
            String name = URLEncoder.encode(connection.path("name").asString(), StandardCharsets.UTF_8)
                .replace("+", "%20");
            this.http.send(management("/api/connections/" + name).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            closed++;
        }
        return closed;
    }

    private HttpRequest.Builder management(String path) {
        String credentials = this.services.amqpUser() + ":" + this.services.amqpPassword();
        return HttpRequest.newBuilder(URI.create("http://" + this.services.amqpHost() + ":15672" + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private long deadLetters() throws Exception {
        try (ChaosPublisher publisher = new ChaosPublisher(this.services)) {
            return publisher.deadLetters();
        }
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(this.services.jdbcUrl(), this.services.jdbcUser(),
                this.services.jdbcPassword());
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static List<String> query(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            return rows(statement);
        }
    }

    private static List<String> rows(PreparedStatement statement) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String uuid(JsonNode webhook) {
        return java.util.UUID.fromString(webhook.path("id").asString()).toString();
    }

}
