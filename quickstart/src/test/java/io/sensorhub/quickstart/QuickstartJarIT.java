package io.sensorhub.quickstart;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command as a user runs it:
 * {@code java -jar quickstart/target/quickstart.jar} as a process of its own (Spring
 * Boot's nested-jar class loading, not Maven's class path), with its own broker and no
 * fallback to a local RabbitMQ. A verified webhook delivery appears on its console;
 * SIGTERM stops every service gracefully.
 */
class QuickstartJarIT {

    private static final Pattern DELIVERY = Pattern.compile("webhook ✔ demo-\\d+ +UNKNOWN +→ +(OK|WARNING|CRITICAL)");

    private static final long START_MINUTES = 4;

    @Test
    void theExecutableJarReachesAVerifiedDeliveryWithItsOwnBrokerAndStopsCleanly() throws Exception {
        Path root = Quickstart.repositoryRoot();
        Path jar = root.resolve("quickstart/target/quickstart.jar");
        assertThat(jar).isRegularFile();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--broker=embedded")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
        List<String> console = new CopyOnWriteArrayList<>();
        Thread reader = follow(process, console);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(START_MINUTES);
            while (console.stream().noneMatch(line -> DELIVERY.matcher(line).find()) && process.isAlive()
                    && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertThat(console).as(String.join("\n", console)).anyMatch(line -> DELIVERY.matcher(line).find());
        }
        finally {
            // SIGTERM through the handle: Process.destroy() would also close our end of
            // its output.
            process.toHandle().destroy();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
            reader.join(10_000);
        }
        String printed = String.join("\n", console);
        assertThat(printed).contains("SensorHub is running", "admin token", "demo client", "/swagger-ui.html",
                "embedded Qpid Broker-J");
        assertThat(printed).containsPattern("dashboard +http://127\\.0\\.0\\.1:\\d+/ ");
        assertThat(printed).doesNotContain("could not start", "RabbitMQ on localhost:5672");
        // Library chatter (initdb, Qpid, SLF4J) is in the log file, not on the console.
        assertThat(printed).doesNotContainIgnoringCase("initdb").doesNotContain("SLF4J", "[main] INFO", "Exception");
        assertThat(Files.readString(root.resolve("quickstart/target/run/logs/quickstart.log"))).isNotBlank();
        // SIGTERM alone stopped each service within 30 s (graceful shutdown), none had to
        // be killed.
        assertThat(printed).contains("crud-service stopped", "sensor-consumer stopped", "notifier-job stopped");
        assertThat(process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        // and the embedded PostgreSQL, stopped after them, shut down (it removes this
        // file)
        assertThat(root.resolve("quickstart/target/run/postgres/postmaster.pid")).doesNotExist();
    }

    private static Thread follow(Process process, List<String> console) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    console.add(line);
                }
            }
            catch (java.io.IOException ex) {
                console.add("(console closed: " + ex + ")");
            }
        }, "quickstart-console");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

}
