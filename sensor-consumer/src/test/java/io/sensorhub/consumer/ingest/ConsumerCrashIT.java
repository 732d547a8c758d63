package io.sensorhub.consumer.ingest;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.rabbitmq.client.AMQP;
import io.sensorhub.common.status.Status;
import io.sensorhub.common.status.Thresholds;
import io.sensorhub.common.test.TestServices;
import io.sensorhub.consumer.support.BrokerConsumers;
import io.sensorhub.consumer.support.Database;
import io.sensorhub.consumer.support.ReadingPublisher;
import io.sensorhub.consumer.support.Sensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.sensorhub.consumer.support.Json.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The honest crash test: three instances of the built jar, each its own JVM, share the
 * ingest partitions (the broker sees them spread 6/5/5); one is killed with SIGKILL while
 * a publisher with confirms sends 20,000 readings. The other two take its partitions over
 * (the broker then sees every partition consumed by one of them, spread 8/8) and store
 * every confirmed reading exactly once, with no status change duplicated or missing and
 * no gap in any sequence: the changes one instance would make. Runs after {@code package}
 * (failsafe).
 */
class ConsumerCrashIT {

    private static final Path JAR = Path.of("target", "sensor-consumer.jar");

    private static final int READINGS = 20_000;

    private static final int SENSORS = 100;

    private static final Thresholds THRESHOLDS = new Thresholds(20.0, 80.0, 10.0, 90.0);

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killAll() {
        this.processes.forEach(Process::destroyForcibly);
    }

    @Test
    void consumerKilledMidStreamStoresEveryConfirmedReadingOnceWithGaplessChanges() throws Exception {
        assertThat(JAR).exists();
        List<Process> instances = startAll("first", "second", "third");
        Process first = instances.get(0);
        awaitSpread(3);
        String[] sensors = new String[SENSORS];
        for (int i = 0; i < SENSORS; i++) {
            sensors[i] = "crash-" + i;
        }
        Sensors.withDefaultThresholds().register(sensors);
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        AtomicInteger confirmed = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        CompletableFuture<Void> publishing = CompletableFuture
            .runAsync(() -> publish(sensors, base, confirmed, killed));
        await().atMost(Duration.ofSeconds(60)).until(() -> stored() >= READINGS / 4);
        first.destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        long storedAtKill = stored();
        killed.countDown();
        System.out.printf("killed with %d readings stored, %d confirmed%n", storedAtKill, confirmed.get());
        String killedPid = ":" + first.pid() + ":";
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<Integer, String> active = BrokerConsumers.activeByPartition(TestServices.get().amqpPrefix());
            assertThat(active).hasSize(ReadingPublisher.PARTITIONS);
            assertThat(active.values()).noneMatch(connection -> connection.contains(killedPid));
        });
        // not asserted (a busy machine may take longer); the design bound is
        // member-timeout plus a rebalance interval, plus the management API's refresh
        System.out.printf("partitions of the killed instance consumed again after %d ms (as the broker shows)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        awaitSpread(2);
        publishing.get();
        await().atMost(Duration.ofMinutes(3)).until(() -> stored() >= confirmed.get());
        assertThat(storedAtKill).isLessThan(READINGS);
        assertThat(confirmed.get()).isEqualTo(READINGS);
        assertThat(stored()).isEqualTo(READINGS);
        try (ReadingPublisher reader = new ReadingPublisher(TestServices.get().amqpPrefix())) {
            assertThat(reader.messageCount(reader.deadQueue())).isZero();
        }
        for (int i = 0; i < SENSORS; i++) {
            assertThat(Database.changesAtEpochMillis(sensors[i])).as(sensors[i]).isEqualTo(expectedChanges(i, base));
        }
        assertThat(Database.count("SELECT count(*) FROM status_change_outbox"))
            .isEqualTo(Database.count("SELECT count(*) FROM status_changes"));
        assertThat(Database.count("SELECT count(*) FROM sensor_state s WHERE sequence <> "
                + "(SELECT coalesce(max(sequence), 0) FROM status_changes c WHERE c.sensor_id = s.sensor_id)"))
            .isZero();
    }

    /**
     * Reading i: sensor i % 100 at base + i / 100 seconds, each sensor's readings in
     * timestamp order. The second half waits for the kill, so the kill is mid-stream
     * however fast the consumer is.
     */
    private static void publish(String[] sensors, Instant base, AtomicInteger confirmed, CountDownLatch killed) {
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().contentType("application/json")
            .deliveryMode(2)
            .build();
        try (ReadingPublisher publisher = new ReadingPublisher(TestServices.get().amqpPrefix())) {
            for (int i = 0; i < READINGS; i++) {
                String sensor = sensors[i % SENSORS];
                publisher.publish(sensor, reading(sensor, base.plusSeconds(i / SENSORS), value(i)), persistent);
                if ((i + 1) % 500 == 0) {
                    publisher.awaitConfirms();
                    confirmed.set(i + 1);
                    pause(50);
                }
                if (i + 1 == READINGS / 2) {
                    awaitKill(killed);
                }
            }
        }
    }

    private static double value(int i) {
        long round = i / SENSORS;
        return new double[] { 50, 50, 85, 95, 50, 5, 15, 50, 50, 50, 92 }[(int) ((round + i % SENSORS) % 11)];
    }

    /** The changes the status rules give for sensor s's readings in timestamp order. */
    private static List<String> expectedChanges(int sensor, Instant base) {
        List<String> changes = new ArrayList<>();
        Status current = Status.UNKNOWN;
        for (int i = sensor; i < READINGS; i += SENSORS) {
            Status status = THRESHOLDS.evaluate(value(i));
            if (status != current) {
                changes.add(Database.change(changes.size() + 1, current, status, base.plusSeconds(i / SENSORS)));
                current = status;
            }
        }
        return changes;
    }

    private static long stored() {
        return Database.count("SELECT count(*) FROM readings");
    }

    /**
     * Waits until the broker shows every partition with one active consumer, over
     * {@code instances} connections whose shares differ by at most one.
     */
    private static void awaitSpread(int instances) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<Integer, String> active = BrokerConsumers.activeByPartition(TestServices.get().amqpPrefix());
            assertThat(active).hasSize(ReadingPublisher.PARTITIONS);
            Map<String, Long> shares = active.values()
                .stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(shares).hasSize(instances);
            assertThat(Collections.max(shares.values()) - Collections.min(shares.values())).isLessThanOrEqualTo(1);
        });
    }

    /** Starts the instances side by side and waits until all are ready. */
    private List<Process> startAll(String... names) throws IOException {
        List<Process> started = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (String name : names) {
            int port = freePort();
            started.add(launch(name, port));
            ports.add(port);
        }
        for (int i = 0; i < names.length; i++) {
            awaitReady(ports.get(i), started.get(i));
        }
        return started;
    }

    private Process launch(String name, int port) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                        "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "--server.port=" + port));
        command.addAll(TestServices.get().springArguments());
        File log = Files.createDirectories(Path.of("target", "crash-it")).resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        this.processes.add(process);
        return process;
    }

    private static void awaitReady(int port, Process process) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("consumer process alive").isTrue();
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            }
            catch (IOException ex) {
                return false;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitKill(CountDownLatch killed) {
        try {
            killed.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
