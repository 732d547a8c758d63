package io.sensorhub.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One SensorHub service run from its executable jar as a child process, its output in a
 * log file. Stopping sends SIGTERM (graceful shutdown) and waits; a process that does not
 * exit in time is killed.
 */
final class ServiceProcess implements AutoCloseable {

    // a service starts in about 10 s on a quiet 2-core machine; seen past 2 minutes when
    // the machine also builds and tests (three services start at once)
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;

    private final int port;

    private final Process process;

    private final Path log;

    private volatile boolean stoppedGracefully;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code <root>/<name>/target/<name>.jar} with these Spring Boot properties.
     */
    static ServiceProcess start(Path root, String name, int port, List<String> properties, Path logDirectory)
            throws IOException {
        Path jar = root.resolve(name).resolve("target").resolve(name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw -DskipTests package");
        }
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        // Parallel GC as in the Dockerfile and the README (more requests/s than G1 on 2
        // cores). C1 only: a demo starts faster and smaller, at about a third of the peak
        // throughput of full compilation.
        List<String> command = new ArrayList<>(
                List.of(javaExecutable(), "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                        "-XX:MaxRAMPercentage=10", "-jar", jar.toString(), "--server.port=" + port));
        properties.forEach(property -> command.add("--" + property));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServiceProcess(name, port, process, log);
    }

    String name() {
        return this.name;
    }

    int port() {
        return this.port;
    }

    Path log() {
        return this.log;
    }

    /** Waits until readiness answers UP; fails if the process exits or takes too long. */
    void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!this.process.isAlive()) {
                throw new IllegalStateException(
                        this.name + " exited with " + this.process.exitValue() + "; see " + this.log);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(this.name + " not ready after " + READY_TIMEOUT + "; see " + this.log);
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    /**
     * Whether the last {@link #close()} ended the process with SIGTERM alone, within the
     * stop timeout.
     */
    boolean stoppedGracefully() {
        return this.stoppedGracefully;
    }

    /**
     * SIGKILL: the process gets no chance to finish anything (what a crash or the OOM
     * killer does).
     */
    void kill() throws InterruptedException {
        this.process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        this.process.destroy();
        this.stoppedGracefully = this.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!this.stoppedGracefully) {
            this.process.destroyForcibly().waitFor();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

}
