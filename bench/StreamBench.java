import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The live stream benchmark driver (run by bench/stream.sh, which starts crud-service and notifier-job against an
 * empty database first). It makes clients and sensors, opens streams (JDK HttpClient, line by line) spread evenly over
 * the clients, writes status changes exactly as sensor-consumer records them (status_changes + outbox + NOTIFY in one
 * transaction: NotifyBench's, compiled with this file by bench/stream.sh) at a steady rate, and measures commit (the
 * writer's clock right after commit) to the event's arrival on each stream. The ceiling, measured in the same run: a bare PostgreSQL NOTIFY committed by a
 * writer and heard by a LISTEN connection, at the same rate.
 */
public class StreamBench {

    static final int SENSORS_PER_CLIENT = 100;

    static final Pattern KEY = Pattern.compile("\"sensorId\": \"([^\"]+)\".*\"sequence\": (\\d+)");

    final String url;

    final String api;

    Connection db;

    final List<String> sensors = new ArrayList<>();

    final Map<String, Long> sequences = new ConcurrentHashMap<>();

    /** Commit time (µs) of each change, by sensor/sequence. */
    final Map<String, Long> committed = new ConcurrentHashMap<>();

    /** Arrival times (µs) on the streams, by sensor/sequence. */
    final ConcurrentLinkedQueue<long[]> arrivalsLog = new ConcurrentLinkedQueue<>();

    final Map<String, Integer> keyIndex = new ConcurrentHashMap<>();

    final List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());

    final AtomicLong arrivals = new AtomicLong();

    StreamBench(String url, String api) {
        this.url = url;
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        StreamBench bench = new StreamBench(args[0], args[1]);
        int clients = Integer.parseInt(args[2]);
        int streams = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int warmUp = Integer.parseInt(args[6]);
        bench.run(clients, streams, rate, seconds, warmUp);
    }

    void run(int clients, int streams, int rate, int seconds, int warmUp) throws Exception {
        this.db = DriverManager.getConnection(this.url, "postgres", "");
        List<String> tokens = setUp(clients);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CountDownLatch open = new CountDownLatch(streams);
        for (int i = 0; i < streams; i++) {
            String token = tokens.get(i % clients);
            Thread reader = new Thread(() -> read(http, token, open), "stream-" + i);
            reader.setDaemon(true);
            reader.start();
        }
        open.await();
        int perEvent = streams / clients;
        System.out.printf("%d clients, %d sensors each, %d streams (%d per client): each change reaches %d streams%n", clients,
                SENSORS_PER_CLIENT, streams, perEvent, perEvent);

        write(rate, warmUp);
        awaitQuiet();
        this.committed.clear();
        this.arrivalsLog.clear();
        long before = this.arrivals.get();
        int total = write(rate, seconds);
        awaitArrivals(before + (long) total * perEvent, Duration.ofMinutes(2));
        double[] latencies = latencies();
        System.out.printf("commit -> event received at %d changes/s for %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d arrivals of %d changes)%n",
                rate, seconds, NotifyBench.percentile(latencies, 50), NotifyBench.percentile(latencies, 99), latencies[latencies.length - 1],
                latencies.length, total);

        double[] ceiling = notifyRoundTrip(rate, Math.min(seconds, 15));
        System.out.printf("ceiling (bare PostgreSQL NOTIFY, commit -> heard by LISTEN, %d/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                rate, NotifyBench.percentile(ceiling, 50), NotifyBench.percentile(ceiling, 99), ceiling[ceiling.length - 1]);
        System.out.printf("ratio to the ceiling: p50 %.1fx, p99 %.1fx (the stream's path has two NOTIFY hops and the fan-out transaction)%n",
                NotifyBench.percentile(latencies, 50) / NotifyBench.percentile(ceiling, 50), NotifyBench.percentile(latencies, 99) / NotifyBench.percentile(ceiling, 99));
        System.exit(0);
    }

    List<String> setUp(int clients) throws Exception {
        List<String> tokens = new ArrayList<>();
        try (PreparedStatement client = this.db.prepareStatement("INSERT INTO clients (id, name, token_hash) VALUES (?, 'bench', ?)");
                Statement statement = this.db.createStatement()) {
            for (int c = 0; c < clients; c++) {
                UUID id = UUID.randomUUID();
                String token = "sh_bench_" + UUID.randomUUID();
                client.setObject(1, id);
                client.setBytes(2, MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
                client.executeUpdate();
                tokens.add(token);
                statement.execute("INSERT INTO sensors (id, client_id, name) SELECT 'bench-" + c + "-' || i, '" + id
                        + "', 'bench' FROM generate_series(0, " + (SENSORS_PER_CLIENT - 1) + ") i");
                for (int i = 0; i < SENSORS_PER_CLIENT; i++) {
                    this.sensors.add("bench-" + c + "-" + i);
                }
            }
            statement.execute("INSERT INTO sensor_state (sensor_id) SELECT id FROM sensors");
        }
        // sensors interleaved over the clients, so consecutive changes go to different clients
        List<String> interleaved = new ArrayList<>();
        for (int i = 0; i < SENSORS_PER_CLIENT; i++) {
            for (int c = 0; c < clients; c++) {
                interleaved.add(this.sensors.get(c * SENSORS_PER_CLIENT + i));
            }
        }
        this.sensors.clear();
        this.sensors.addAll(interleaved);
        return tokens;
    }

    void read(HttpClient http, String token, CountDownLatch open) {
        try {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(this.api + "/api/v1/events/stream"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            boolean counted = false;
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (!counted && line.startsWith(":open")) {
                    open.countDown();
                    counted = true;
                }
                if (line.startsWith("data:")) {
                    long now = NotifyBench.micros(Instant.now());
                    Matcher key = KEY.matcher(line);
                    if (key.find()) {
                        this.arrivalsLog.add(new long[] { index(key.group(1) + "/" + key.group(2)), now });
                        this.arrivals.incrementAndGet();
                    }
                }
            }
        }
        catch (Exception ex) {
            System.err.println("stream failed: " + ex);
        }
    }

    int index(String key) {
        return this.keyIndex.computeIfAbsent(key, k -> {
            synchronized (this.keys) {
                this.keys.add(k);
                return this.keys.size() - 1;
            }
        });
    }

    /** Single-change transactions at a steady rate; answers how many were written. */
    int write(int perSecond, int seconds) throws Exception {
        int total = perSecond * seconds;
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String key = record(this.sensors.get(i % this.sensors.size()));
            this.committed.put(key, NotifyBench.micros(Instant.now()));
        }
        return total;
    }

    /** Records one change of the sensor in one transaction, with its NOTIFY; answers sensor/sequence. */
    String record(String sensor) throws Exception {
        this.db.setAutoCommit(false);
        long sequence = this.sequences.merge(sensor, 1L, Long::sum);
        String now = Instant.now().toString();
        try (PreparedStatement insert = this.db.prepareStatement(NotifyBench.INSERT)) {
            insert.setArray(1, this.db.createArrayOf("uuid", new UUID[] { UUID.randomUUID() }));
            insert.setArray(2, this.db.createArrayOf("text", new String[] { sensor }));
            insert.setArray(3, this.db.createArrayOf("int8", new Long[] { sequence }));
            insert.setArray(4, this.db.createArrayOf("text", new String[] { (sequence == 1) ? "UNKNOWN" : ((sequence % 2 == 0) ? "OK" : "CRITICAL") }));
            insert.setArray(5, this.db.createArrayOf("text", new String[] { (sequence % 2 == 0) ? "CRITICAL" : "OK" }));
            insert.setArray(6, this.db.createArrayOf("float8", new Double[] { (double) sequence }));
            insert.setArray(7, this.db.createArrayOf("timestamptz", new String[] { now }));
            insert.setArray(8, this.db.createArrayOf("timestamptz", new String[] { now }));
            insert.executeUpdate();
        }
        try (Statement notify = this.db.createStatement()) {
            notify.execute("SELECT pg_notify('sensorhub_status_changes', '')");
        }
        this.db.commit();
        return sensor + "/" + sequence;
    }

    double[] latencies() {
        List<Double> values = new ArrayList<>();
        for (long[] arrival : this.arrivalsLog) {
            Long at = this.committed.get(this.keys.get((int) arrival[0]));
            if (at != null) {
                values.add((arrival[1] - at) / 1000.0);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    void awaitArrivals(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.arrivals.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + this.arrivals.get() + " of " + expected + " events arrived");
            }
            Thread.sleep(5);
        }
    }

    void awaitQuiet() throws InterruptedException {
        long last = -1;
        while (this.arrivals.get() != last) {
            last = this.arrivals.get();
            Thread.sleep(1000);
        }
    }

    /** A writer commits NOTIFY with its commit time; a LISTEN connection hears it. Answers the sorted latencies (ms). */
    double[] notifyRoundTrip(int perSecond, int seconds) throws Exception {
        try (Connection listener = DriverManager.getConnection(this.url, "postgres", "");
                Connection writer = DriverManager.getConnection(this.url, "postgres", "")) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN bench_ceiling");
            }
            int total = perSecond * seconds;
            Map<Integer, Long> sent = new ConcurrentHashMap<>();
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread hearing = new Thread(() -> {
                try {
                    PGConnection pg = listener.unwrap(PGConnection.class);
                    while (latencies.size() < total) {
                        PGNotification[] notifications = pg.getNotifications(500);
                        long now = NotifyBench.micros(Instant.now());
                        if (notifications != null) {
                            for (PGNotification notification : notifications) {
                                int n = Integer.parseInt(notification.getParameter());
                                Long at;
                                while ((at = sent.get(n)) == null) {
                                    Thread.onSpinWait();
                                }
                                latencies.add((now - at) / 1000.0);
                            }
                        }
                    }
                }
                catch (Exception ex) {
                    System.err.println("listener failed: " + ex);
                }
            });
            hearing.start();
            writer.setAutoCommit(false);
            long interval = 1_000_000_000L / perSecond;
            long start = System.nanoTime();
            try (PreparedStatement notify = writer.prepareStatement("SELECT pg_notify('bench_ceiling', ?)")) {
                for (int i = 0; i < total; i++) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    notify.setString(1, Integer.toString(i));
                    notify.execute();
                    writer.commit();
                    sent.put(i, NotifyBench.micros(Instant.now()));
                }
            }
            hearing.join(60_000);
            return latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
    }

}
