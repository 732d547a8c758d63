import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;

/**
 * The notifier-job benchmark driver (run by bench/notify.sh, which starts notifier-job against an empty
 * database first). It runs a receiver (JDK HttpServer answering 204), writes status changes exactly as
 * StatusChangeRecorder does (status_changes + outbox + NOTIFY in one transaction), and measures:
 * deliveries/s with 1 and with 100 webhooks, commit-to-arrival latency at a steady 500 changes/s, and the
 * ceiling: wrk POSTing the same body to the same receiver.
 */
public class NotifyBench {

    static final String INSERT = """
            WITH changes AS (
                INSERT INTO status_changes (event_id, sensor_id, sequence, previous_status, status, value, reported_at, changed_at)
                SELECT * FROM unnest(?::uuid[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::float8[], ?::timestamptz[], ?::timestamptz[])
                RETURNING event_id, sensor_id, sequence, changed_at)
            INSERT INTO status_change_outbox (event_id, sensor_id, sequence, changed_at)
            SELECT event_id, sensor_id, sequence, changed_at FROM changes""";

    static final int SENSORS = 1000;

    final AtomicLong arrivals = new AtomicLong();

    final Map<String, Long> firstArrivalMicros = new ConcurrentHashMap<>();

    volatile long lastArrivalNanos;

    final long[] sequences = new long[SENSORS];

    final String url;

    Connection db;

    HttpServer server;

    NotifyBench(String url) {
        this.url = url;
    }

    public static void main(String[] args) throws Exception {
        NotifyBench bench = new NotifyBench(args[0]);
        int throughputChanges = Integer.parseInt(args[1]);
        int fanOutChanges = Integer.parseInt(args[2]);
        int steadySeconds = Integer.parseInt(args[3]);
        bench.run(throughputChanges, fanOutChanges, steadySeconds);
    }

    void run(int throughputChanges, int fanOutChanges, int steadySeconds) throws Exception {
        this.db = DriverManager.getConnection(this.url, "postgres", "");
        startReceiver();
        UUID client = setUp();
        String receiverUrl = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
        List<UUID> one = webhooks(client, receiverUrl, 1);

        warmUp(2000);
        double single = throughput(throughputChanges, 1);
        System.out.printf("deliveries/s, 1 webhook:    %8.0f  (%d changes -> %d deliveries)%n", single, throughputChanges, throughputChanges);

        double[] latency = steady(500, steadySeconds);
        System.out.printf("commit-to-arrival at 500 changes/s for %d s, 1 webhook: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d events)%n",
                steadySeconds, latency[0], latency[1], latency[2], (long) latency[3]);

        disable(one);
        webhooks(client, receiverUrl, 100);
        double hundred = throughput(fanOutChanges, 100);
        System.out.printf("deliveries/s, 100 webhooks: %8.0f  (%d changes -> %d deliveries)%n", hundred, fanOutChanges, fanOutChanges * 100);

        double ceiling = wrk(receiverUrl);
        System.out.printf("ceiling (wrk -t2 -c64 -d10s POST same body to same receiver): %8.0f req/s%n", ceiling);
        System.out.printf("ratios: 1 webhook %.2f, 100 webhooks %.2f of the ceiling%n", single / ceiling, hundred / ceiling);
        try (Statement count = this.db.createStatement();
                java.sql.ResultSet rows = count.executeQuery("SELECT count(*) FROM webhook_reminders")) {
            rows.next();
            System.out.printf("reminders scheduled at the end: %d%n", rows.getLong(1));
        }
        this.server.stop(0);
        System.exit(0);
    }

    void startReceiver() throws Exception {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        this.server.createContext("/", exchange -> {
            long nanos = System.nanoTime();
            Instant now = Instant.now();
            exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                this.firstArrivalMicros.putIfAbsent(id, micros(now));
            }
            this.arrivals.incrementAndGet();
            this.lastArrivalNanos = nanos;
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        this.server.setExecutor(Executors.newFixedThreadPool(4));
        this.server.start();
    }

    UUID setUp() throws Exception {
        UUID client = UUID.randomUUID();
        try (PreparedStatement insert = this.db.prepareStatement("INSERT INTO clients (id, name, token_hash) VALUES (?, 'bench', ?)")) {
            insert.setObject(1, client);
            byte[] hash = new byte[32];
            new java.security.SecureRandom().nextBytes(hash);
            insert.setBytes(2, hash);
            insert.executeUpdate();
        }
        try (Statement statement = this.db.createStatement()) {
            statement.execute("INSERT INTO sensors (id, client_id, name) SELECT 'bench-' || i, '" + client + "', 'bench' FROM generate_series(0, " + (SENSORS - 1) + ") i");
            statement.execute("INSERT INTO sensor_state (sensor_id) SELECT id FROM sensors");
            // BENCH_SILENCES=n: n silences of every sensor and status, recurring on a weekday three days from today,
            // so every change is matched against all of them (the fan-out's worst case) and still delivered
            int silences = Integer.parseInt(System.getenv().getOrDefault("BENCH_SILENCES", "0"));
            if (silences > 0) {
                statement.execute("INSERT INTO silences (id, client_id, weekdays, window_start, window_end, time_zone) "
                        + "SELECT gen_random_uuid(), '" + client + "', ARRAY[((extract(isodow FROM now() AT TIME ZONE "
                        + "'Europe/Berlin')::int + 2) % 7) + 1]::smallint[], '00:00', '00:00', 'Europe/Berlin' "
                        + "FROM generate_series(1, " + silences + ")");
                System.out.printf("%d silences matching every change, none active%n", silences);
            }
        }
        return client;
    }

    List<UUID> webhooks(UUID client, String url, int count) throws Exception {
        List<UUID> ids = new ArrayList<>();
        // BENCH_REMINDERS=yes: every webhook reminds hourly, so the fan-out schedules a reminder with every change to
        // CRITICAL and withdraws it with every change back to OK (none falls due within the run)
        boolean reminders = "yes".equals(System.getenv("BENCH_REMINDERS"));
        try (PreparedStatement insert = this.db.prepareStatement("INSERT INTO webhooks (id, client_id, url, secret, repeat_interval, event_types) VALUES (?, ?, ?, ?, ?, ?::text[])")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setObject(2, client);
                insert.setString(3, url + "/" + i);
                insert.setString(4, "whsec_" + java.util.Base64.getEncoder().encodeToString(("bench-secret-" + i).getBytes()));
                insert.setObject(5, reminders ? 3600 : null, java.sql.Types.INTEGER);
                insert.setString(6, reminders ? "{sensor.status_changed,sensor.status_reminder}" : "{sensor.status_changed}");
                insert.addBatch();
                ids.add(id);
            }
            insert.executeBatch();
        }
        return ids;
    }

    void disable(List<UUID> webhooks) throws Exception {
        try (PreparedStatement update = this.db.prepareStatement("UPDATE webhooks SET enabled = false WHERE id = ?")) {
            for (UUID id : webhooks) {
                update.setObject(1, id);
                update.executeUpdate();
            }
        }
    }

    void warmUp(int changes) throws Exception {
        throughput(changes, 1);
    }

    /** Writes {@code changes} changes (1000 sensors, in transactions of 1000) and waits for every delivery. */
    double throughput(int changes, int webhooks) throws Exception {
        long before = this.arrivals.get();
        long expected = before + (long) changes * webhooks;
        long start = System.nanoTime();
        int written = 0;
        while (written < changes) {
            int batch = Math.min(SENSORS, changes - written);
            List<UUID> ids = record(batch, 0);
            written += ids.size();
        }
        awaitArrivals(expected, Duration.ofMinutes(5));
        return (double) (changes * (long) webhooks) / ((this.lastArrivalNanos - start) / 1e9);
    }

    /** A steady rate of single-change transactions; answers p50, p99, max (ms) and count. */
    double[] steady(int perSecond, int seconds) throws Exception {
        long before = this.arrivals.get();
        int total = perSecond * seconds;
        Map<String, Long> committedMicros = new ConcurrentHashMap<>();
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            List<UUID> ids = record(1, i);
            long committed = micros(Instant.now());
            committedMicros.put(ids.get(0).toString(), committed);
        }
        awaitArrivals(before + total, Duration.ofMinutes(2));
        double[] latencies = committedMicros.entrySet().stream()
            .mapToDouble(e -> (this.firstArrivalMicros.get(e.getKey()) - e.getValue()) / 1000.0).sorted().toArray();
        return new double[] { percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1], latencies.length };
    }

    /** Records changes for {@code count} sensors (starting at {@code offset}) in one transaction, then NOTIFY. */
    List<UUID> record(int count, int offset) throws Exception {
        this.db.setAutoCommit(false);
        UUID[] events = new UUID[count];
        String[] sensors = new String[count];
        Long[] sequences = new Long[count];
        String[] previous = new String[count];
        String[] statuses = new String[count];
        Double[] values = new Double[count];
        String[] times = new String[count];
        String now = Instant.now().toString();
        for (int i = 0; i < count; i++) {
            int sensor = (offset + i) % SENSORS;
            long sequence = ++this.sequences[sensor];
            events[i] = UUID.randomUUID();
            sensors[i] = "bench-" + sensor;
            sequences[i] = sequence;
            previous[i] = (sequence == 1) ? "UNKNOWN" : ((sequence % 2 == 0) ? "OK" : "CRITICAL");
            statuses[i] = (sequence % 2 == 0) ? "CRITICAL" : "OK";
            values[i] = (double) sequence;
            times[i] = now;
        }
        try (PreparedStatement insert = this.db.prepareStatement(INSERT)) {
            insert.setArray(1, this.db.createArrayOf("uuid", events));
            insert.setArray(2, this.db.createArrayOf("text", sensors));
            insert.setArray(3, this.db.createArrayOf("int8", sequences));
            insert.setArray(4, this.db.createArrayOf("text", previous));
            insert.setArray(5, this.db.createArrayOf("text", statuses));
            insert.setArray(6, this.db.createArrayOf("float8", values));
            insert.setArray(7, this.db.createArrayOf("timestamptz", times));
            insert.setArray(8, this.db.createArrayOf("timestamptz", times));
            insert.executeUpdate();
        }
        // the sensors' current state, as sensor-consumer keeps it in the same transaction (reminders are scheduled
        // from it)
        try (PreparedStatement state = this.db.prepareStatement("""
                UPDATE sensor_state st SET status = u.status, sequence = u.sequence, since = now()
                FROM unnest(?::text[], ?::text[], ?::int8[]) AS u(sensor_id, status, sequence)
                WHERE st.sensor_id = u.sensor_id""")) {
            state.setArray(1, this.db.createArrayOf("text", sensors));
            state.setArray(2, this.db.createArrayOf("text", statuses));
            state.setArray(3, this.db.createArrayOf("int8", sequences));
            state.executeUpdate();
        }
        try (Statement notify = this.db.createStatement()) {
            notify.execute("SELECT pg_notify('sensorhub_status_changes', '')");
        }
        this.db.commit();
        return Arrays.asList(events);
    }

    void awaitArrivals(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.arrivals.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + this.arrivals.get() + " of " + expected + " deliveries arrived");
            }
            Thread.sleep(5);
        }
    }

    double wrk(String url) throws Exception {
        String body = "{\"data\": {\"value\": 1.0, \"status\": \"CRITICAL\", \"sensorId\": \"bench-1\", \"sequence\": 1, \"changedAt\": \"2026-11-29T10:00:00.123Z\", \"reportedAt\": \"2026-11-29T10:00:00.123Z\", \"previousStatus\": \"OK\"}, \"type\": \"sensor.status_changed\", \"timestamp\": \"2026-11-29T10:00:00.123Z\"}";
        Path script = Files.createTempFile("post", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + body + "'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"webhook-id\"] = \"wrk\"\n");
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c64", "-d10s", "-s", script.toString(), url).redirectErrorStream(true).start();
        double rps = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(wrk.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                if (line.startsWith("Requests/sec:")) {
                    rps = Double.parseDouble(line.substring("Requests/sec:".length()).trim());
                }
            }
        }
        wrk.waitFor();
        return rps;
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }
}
