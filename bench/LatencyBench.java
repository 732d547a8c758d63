import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import com.sun.net.httpserver.HttpServer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The latency benchmark's driver (run by bench/latency.sh, which starts sensor-consumer and notifier-job on a database,
 * virtual host and Redis key prefix of their own first).
 *
 * It runs a webhook receiver (JDK HttpServer, connections kept alive, answering 204), registers a client, SENSORS
 * sensors (warnHigh 80, critHigh 90) and one webhook pointing at the receiver straight in PostgreSQL, then publishes
 * readings through the readings exchange at RATE a second, round-robin over the sensors, each sensor's value
 * alternating between 50 (OK) and 95 (CRITICAL): every reading is a status change. A reading's timestamp is the
 * millisecond it was published; the webhook body carries it back as data.reportedAt, so each arrival is matched
 * to its publish time (kept to the microsecond here). It warms up for WARMUP seconds, then measures SECONDS, and
 * prints publish → arrival percentiles and where the time went, stage by stage, from PostgreSQL's own timestamps:
 * the consumer's transaction (status_changes.changed_at, its clock when the batch's transaction began), the
 * fan-out's transaction (webhook_deliveries.created_at, its now()), the first attempt
 * (webhook_delivery_attempts.at, when the POST began), and the consumer's commit as this driver hears it: the first
 * NOTIFY of status changes after the transaction began (a LISTEN of its own). Everything runs on one machine, so all
 * clocks are one.
 *
 * Then the ceiling, in the same run, at the same rate and with the same body sizes: publish → consume of bare
 * persistent messages through a quorum queue (manual acknowledgement), and POSTs of a webhook body to the same
 * receiver by the JDK HttpClient (a kept-alive connection): the least any AMQP → HTTP path can take here.
 *
 * Usage: java -cp 'amqp-client.jar:slf4j-api.jar:postgresql.jar' bench/LatencyBench.java JDBC_URL AMQP_HOST
 *        AMQP_PORT VHOST SENSORS RATE SECONDS WARMUP_SECONDS CEILING_SECONDS
 */
public class LatencyBench {

    static final Pattern SENSOR_ID = Pattern.compile("\"sensorId\":\\s*\"([^\"]+)\"");

    /** Each ceiling path first runs this long unmeasured (connections, JIT). */
    static final int CEILING_WARM_UP_SECONDS = 3;

    static final Pattern REPORTED_AT = Pattern.compile("\"reportedAt\":\\s*\"([^\"]+)\"");

    final String jdbcUrl;

    final ConnectionFactory amqp = new ConnectionFactory();

    final int sensors;

    final double rate;

    HttpServer receiver;

    /** "sensorId@epochMillis" of a reading → its publish time (µs since the epoch). */
    final Map<String, Long> published = new ConcurrentHashMap<>();

    /** webhook-id → the first arrival of its delivery (µs since the epoch) and its reading's key. */
    final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();

    final AtomicLong repeated = new AtomicLong();

    /**
     * When this driver heard each NOTIFY of new status changes (µs since the epoch): sensor-consumer sends one as each
     * transaction that recorded changes commits, so the first one heard after a transaction began marks its commit.
     */
    final ConcurrentSkipListSet<Long> commits = new ConcurrentSkipListSet<>();

    /** The channel, as common's notify.Channels.STATUS_CHANGES names it. */
    static final String STATUS_CHANGES = "sensorhub_status_changes";

    /** The ceiling's POSTs: sequence number → arrival at the receiver (µs since the epoch). */
    final Map<Integer, Long> ceilingArrivals = new ConcurrentHashMap<>();

    /** The measured publish → arrival latencies (ms), for the ratios to the ceiling. */
    List<Double> endToEnd = List.of();

    /** Readings published so far (they alternate per sensor across phases). */
    long readings;

    /** Each sensor's last reading timestamp (ms), so timestamps rise strictly per sensor. */
    final long[] lastTimestamp;

    record Arrival(long micros, String key) {
    }

    LatencyBench(String jdbcUrl, String host, int port, String vhost, int sensors, double rate) {
        this.jdbcUrl = jdbcUrl;
        this.amqp.setHost(host);
        this.amqp.setPort(port);
        this.amqp.setVirtualHost(vhost);
        this.sensors = sensors;
        this.rate = rate;
        this.lastTimestamp = new long[sensors];
    }

    public static void main(String[] args) throws Exception {
        LatencyBench bench = new LatencyBench(args[0], args[1], Integer.parseInt(args[2]), args[3],
                Integer.parseInt(args[4]), Double.parseDouble(args[5]));
        bench.run(Integer.parseInt(args[6]), Integer.parseInt(args[7]), Integer.parseInt(args[8]));
        System.exit(0);
    }

    void run(int seconds, int warmUpSeconds, int ceilingSeconds) throws Exception {
        startReceiver();
        listenForCommits();
        String hook = "http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hook";
        register(hook);
        System.out.printf("%d sensors, one webhook to %s; %.0f changes/s%n", this.sensors, hook, this.rate);

        try (com.rabbitmq.client.Connection connection = this.amqp.newConnection("latency-bench")) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            AtomicLong nacks = new AtomicLong();
            channel.addConfirmListener((tag, multiple) -> {
            }, (tag, multiple) -> nacks.incrementAndGet());

            System.out.printf("warm-up: %d s%n", warmUpSeconds);
            List<String> warmUp = publishReadings(channel, warmUpSeconds);
            awaitArrivals(warmUp, Duration.ofSeconds(60));

            System.out.printf("measuring: %d s%n", seconds);
            long repeatedBefore = this.repeated.get();
            List<String> measured = publishReadings(channel, seconds);
            channel.waitForConfirmsOrDie(60_000);
            int missing = awaitArrivals(measured, Duration.ofSeconds(60));
            report(measured, missing, this.repeated.get() - repeatedBefore, nacks.get());
        }
        ceiling(ceilingSeconds, hook);
        this.receiver.stop(0);
    }

    void startReceiver() throws Exception {
        this.receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        this.receiver.createContext("/hook", exchange -> {
            long now = micros(Instant.now());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            Matcher sensor = SENSOR_ID.matcher(body);
            Matcher reported = REPORTED_AT.matcher(body);
            if (id != null && sensor.find() && reported.find()) {
                String key = sensor.group(1) + "@" + Instant.parse(reported.group(1)).toEpochMilli();
                if (this.arrivals.putIfAbsent(id, new Arrival(now, key)) != null) {
                    this.repeated.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        this.receiver.createContext("/ceiling", exchange -> {
            long now = micros(Instant.now());
            exchange.getRequestBody().readAllBytes();
            this.ceilingArrivals.put(Integer.parseInt(exchange.getRequestHeaders().getFirst("x-sequence")), now);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        this.receiver.setExecutor(Executors.newFixedThreadPool(4));
        this.receiver.start();
    }

    /** LISTENs on a connection of its own, on a daemon thread, recording when each notification arrives. */
    void listenForCommits() throws Exception {
        Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + STATUS_CHANGES);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        Thread listener = new Thread(() -> {
            try {
                while (true) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    long now = micros(Instant.now());
                    if (notifications != null && notifications.length > 0) {
                        this.commits.add(now);
                    }
                }
            }
            catch (SQLException ex) {
                System.err.println("the LISTEN connection failed: " + ex);
            }
        }, "commit-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void register(String hook) throws Exception {
        try (Connection db = DriverManager.getConnection(this.jdbcUrl, "postgres", "")) {
            UUID client = UUID.randomUUID();
            try (PreparedStatement insert = db
                .prepareStatement("INSERT INTO clients (id, name, token_hash) VALUES (?, 'latency-bench', ?)")) {
                byte[] hash = new byte[32];
                new SecureRandom().nextBytes(hash);
                insert.setObject(1, client);
                insert.setBytes(2, hash);
                insert.executeUpdate();
            }
            try (Statement statement = db.createStatement()) {
                // a heartbeat of a day: the watchdog must not turn a sensor OFFLINE during the run
                statement.execute("INSERT INTO sensors (id, client_id, name, warn_high, crit_high, heartbeat_seconds) "
                        + "SELECT 'bench-' || i, '" + client + "', 'bench', 80, 90, 86400 FROM generate_series(0, "
                        + (this.sensors - 1) + ") i");
                statement.execute("INSERT INTO sensor_state (sensor_id) SELECT id FROM sensors");
            }
            try (PreparedStatement insert = db
                .prepareStatement("INSERT INTO webhooks (id, client_id, url, secret) VALUES (?, ?, ?, ?)")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, client);
                insert.setString(3, hook);
                insert.setString(4, "whsec_" + Base64.getEncoder().encodeToString(randomBytes(24)));
                insert.executeUpdate();
            }
        }
    }

    /** Publishes readings at the rate for this long; answers their keys. */
    List<String> publishReadings(Channel channel, int seconds) throws Exception {
        List<String> keys = new ArrayList<>();
        AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
            .contentType("application/json")
            .build();
        paced(seconds, i -> {
            long n = this.readings++;
            int sensor = (int) (n % this.sensors);
            String sensorId = "bench-" + sensor;
            long round = n / this.sensors;
            long millis = Math.max(Instant.now().toEpochMilli(), this.lastTimestamp[sensor] + 1);
            this.lastTimestamp[sensor] = millis;
            String body = "{\"sensorId\":\"" + sensorId + "\",\"timestamp\":\"" + Instant.ofEpochMilli(millis)
                    + "\",\"value\":" + ((round % 2 == 0) ? "50.0" : "95.0") + "}";
            String key = sensorId + "@" + millis;
            keys.add(key);
            this.published.put(key, micros(Instant.now()));
            try {
                channel.basicPublish("sensorhub.readings", "readings." + sensorId, properties,
                        body.getBytes(StandardCharsets.UTF_8));
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        return keys;
    }

    /** Runs the action RATE times a second for this long, on schedule (late ones catch up). */
    void paced(int seconds, IntConsumer action) {
        long interval = (long) (1e9 / this.rate);
        int total = (int) (seconds * this.rate);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // park, not spin: a spinning publisher takes a core on a small machine
            }
            action.accept(i);
        }
    }

    /** Waits until every key arrived or the timeout passed; answers how many did not. */
    int awaitArrivals(List<String> keys, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(keys);
        while (System.nanoTime() < deadline) {
            this.arrivals.values().forEach(arrival -> pending.remove(arrival.key()));
            if (pending.isEmpty()) {
                return 0;
            }
            Thread.sleep(100);
        }
        return pending.size();
    }

    void report(List<String> measured, int missing, long repeats, long nacks) throws Exception {
        Set<String> keys = Set.copyOf(measured);
        Map<String, Arrival> byKey = new ConcurrentHashMap<>();
        this.arrivals.forEach((id, arrival) -> {
            if (keys.contains(arrival.key())) {
                byKey.put(arrival.key(), arrival);
            }
        });
        List<Double> endToEnd = new ArrayList<>();
        byKey.forEach((key, arrival) -> endToEnd.add((arrival.micros() - this.published.get(key)) / 1000.0));
        System.out.printf("%n== publish → webhook arrival, %.0f changes/s over %d sensors: %d published, %d arrived, "
                + "%d missing, %d repeated, %d publishes nacked%n", this.rate, this.sensors, measured.size(),
                byKey.size(), missing, repeats, nacks);
        System.out.println("                                          p50      p90      p99      max   (ms)");
        row("publish → arrival", endToEnd);
        this.endToEnd = endToEnd;
        breakdown(keys);
    }

    /** Each stage from PostgreSQL's timestamps, for the measured deliveries. */
    void breakdown(Set<String> keys) throws Exception {
        List<Double> queued = new ArrayList<>();
        List<Double> committed = new ArrayList<>();
        List<Double> heard = new ArrayList<>();
        List<Double> claimed = new ArrayList<>();
        List<Double> sent = new ArrayList<>();
        Map<String, Arrival> arrivals = Map.copyOf(this.arrivals);
        awaitFirstAttempts(arrivals.size());
        try (Connection db = DriverManager.getConnection(this.jdbcUrl, "postgres", "");
                Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT d.event_id::text, d.sensor_id, (extract(epoch FROM sc.reported_at) * 1000)::int8,
                               (extract(epoch FROM sc.changed_at) * 1e6)::int8, (extract(epoch FROM d.created_at) * 1e6)::int8,
                               (extract(epoch FROM a.at) * 1e6)::int8
                        FROM webhook_deliveries d
                        JOIN status_changes sc ON sc.event_id = d.event_id
                        JOIN webhook_delivery_attempts a ON a.delivery_id = d.id AND a.attempt = 1""")) {
            while (rows.next()) {
                String key = rows.getString(2) + "@" + rows.getLong(3);
                Arrival arrival = arrivals.get(rows.getString(1));
                if (!keys.contains(key) || arrival == null) {
                    continue;
                }
                long publish = this.published.get(key);
                Long commit = this.commits.ceiling(rows.getLong(4));
                queued.add((rows.getLong(4) - publish) / 1000.0);
                if (commit != null) {
                    committed.add((commit - rows.getLong(4)) / 1000.0);
                    heard.add((rows.getLong(5) - commit) / 1000.0);
                }
                claimed.add((rows.getLong(6) - rows.getLong(5)) / 1000.0);
                sent.add((arrival.micros() - rows.getLong(6)) / 1000.0);
            }
        }
        System.out.printf("where the time goes (%d deliveries; each stage's own percentiles):%n", queued.size());
        row("publish → consumer transaction", queued);
        row("consumer transaction → commit", committed);
        row("commit → fan-out", heard);
        row("fan-out → first attempt", claimed);
        row("first attempt → arrival", sent);
        System.out.println("""
                  consumer transaction: when sensor-consumer began the transaction that stored the reading
                    (status_changes.changed_at); before it: broker, prefetch, waiting for a batch to close
                  commit: the first NOTIFY of a status change this driver heard after that (its own LISTEN);
                    before it: the consumer's statements and commit
                  fan-out: when notifier-job began the transaction that created the delivery
                    (webhook_deliveries.created_at); before it: notifier-job hearing the NOTIFY, waking the fan-out
                  first attempt: when the POST began (webhook_delivery_attempts.at); before it: the fan-out's
                    statements and commit, the claim, handing over to a sender
                  arrival: the receiver's clock; before it: signing and the HTTP request""");
    }

    /** The delivery loop records attempts after they end: waits until the arrived ones are recorded. */
    void awaitFirstAttempts(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection db = DriverManager.getConnection(this.jdbcUrl, "postgres", "");
                Statement statement = db.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement
                    .executeQuery("SELECT count(*) FROM webhook_delivery_attempts WHERE attempt = 1")) {
                    rows.next();
                    if (rows.getLong(1) >= expected) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /** The same rate through bare RabbitMQ and bare HTTP, on the same machine, now. */
    void ceiling(int seconds, String hook) throws Exception {
        System.out.printf("%n== ceiling, same rate and sizes, %d s each (after %d s unmeasured)%n", seconds,
                CEILING_WARM_UP_SECONDS);
        System.out.println("                                          p50      p90      p99      max   (ms)");
        List<Double> amqp = amqpRoundTrip(seconds);
        row("RabbitMQ publish → consume", amqp);
        List<Double>[] http = httpRoundTrip(seconds, hook.replace("/hook", "/ceiling"));
        row("HTTP POST → receiver", http[0]);
        row("HTTP POST round trip", http[1]);
        List<Double> floor = new ArrayList<>();
        for (int i = 0; i < Math.min(amqp.size(), http[0].size()); i++) {
            floor.add(amqp.get(i) + http[0].get(i));
        }
        row("publish → consume + POST → receiver", floor);
        System.out.println("  (the last row adds the two paths' latencies message by message: the least an AMQP → HTTP "
                + "path can take here)");
        double[] ours = sorted(this.endToEnd);
        double[] least = sorted(floor);
        if (ours.length > 0 && least.length > 0) {
            System.out.printf("ratio SensorHub / ceiling: p50 %.1f, p99 %.1f (1.0 would be the bare broker and HTTP)%n",
                    percentile(ours, 50) / percentile(least, 50), percentile(ours, 99) / percentile(least, 99));
        }
    }

    /** Publish → delivery of persistent messages through a quorum queue of their own, manual acks. */
    List<Double> amqpRoundTrip(int seconds) throws Exception {
        String queue = "bench.latency.ceiling";
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        int warmUp = (int) (CEILING_WARM_UP_SECONDS * this.rate);
        int total = (int) ((CEILING_WARM_UP_SECONDS + seconds) * this.rate);
        CountDownLatch received = new CountDownLatch(total);
        try (com.rabbitmq.client.Connection publishing = this.amqp.newConnection("latency-ceiling-publisher");
                com.rabbitmq.client.Connection consuming = this.amqp.newConnection("latency-ceiling-consumer")) {
            Channel out = publishing.createChannel();
            out.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            out.confirmSelect();
            Channel in = consuming.createChannel();
            in.basicQos(2000);
            in.basicConsume(queue, false, new DefaultConsumer(in) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) throws java.io.IOException {
                    long sentAt = Long.parseLong(properties.getHeaders().get("x-sent-at").toString());
                    int index = Integer.parseInt(properties.getHeaders().get("x-index").toString());
                    if (index >= warmUp) {
                        latencies.add((System.nanoTime() - sentAt) / 1e6);
                    }
                    in.basicAck(envelope.getDeliveryTag(), false);
                    received.countDown();
                }
            });
            byte[] body = "{\"sensorId\":\"bench-00\",\"timestamp\":\"2026-12-02T10:00:00.123Z\",\"value\":95.0}"
                .getBytes(StandardCharsets.UTF_8);
            paced(CEILING_WARM_UP_SECONDS + seconds, i -> {
                AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                    .contentType("application/json")
                    .headers(Map.of("x-sent-at", System.nanoTime(), "x-index", i))
                    .build();
                try {
                    out.basicPublish("", queue, properties, body);
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            received.await(60, java.util.concurrent.TimeUnit.SECONDS);
            out.queueDelete(queue);
        }
        return new ArrayList<>(latencies);
    }

    /**
     * POSTs of a webhook-sized body, one at a time over one kept-alive connection: [0] request sent → receiver
     * handler, [1] round trip.
     */
    @SuppressWarnings("unchecked")
    List<Double>[] httpRoundTrip(int seconds, String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"data\": {\"value\": 95.0, \"status\": \"CRITICAL\", \"sensorId\": \"bench-00\", \"sequence\": 1, "
                + "\"changedAt\": \"2026-12-02T10:00:00.123Z\", \"reportedAt\": \"2026-12-02T10:00:00.120Z\", "
                + "\"previousStatus\": \"OK\"}, \"type\": \"sensor.status_changed\", \"timestamp\": "
                + "\"2026-12-02T10:00:00.123Z\"}";
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> roundTrips = new ArrayList<>();
        int warmUp = (int) (CEILING_WARM_UP_SECONDS * this.rate);
        paced(CEILING_WARM_UP_SECONDS + seconds, i -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json")
                .header("x-sequence", Integer.toString(i))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
            long started = System.nanoTime();
            sentAt.put(i, micros(Instant.now()));
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            if (i >= warmUp) {
                roundTrips.add((System.nanoTime() - started) / 1e6);
            }
        });
        List<Double> oneWay = new ArrayList<>();
        sentAt.forEach((i, at) -> {
            Long arrived = this.ceilingArrivals.get(i);
            if (i >= warmUp && arrived != null) {
                oneWay.add((arrived - at) / 1000.0);
            }
        });
        return new List[] { oneWay, roundTrips };
    }

    static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static void row(String name, List<Double> values) {
        double[] sorted = sorted(values);
        if (sorted.length == 0) {
            System.out.printf("  %-36s (no data)%n", name);
            return;
        }
        System.out.printf("  %-36s %8.1f %8.1f %8.1f %8.1f%n", name, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

}
