package io.sensorhub.notifier.support;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.notifier.NotifierJobApplication;

/**
 * Another notifier-job instance in a JVM of its own, on this run's database, with the
 * shared test context's delivery settings: for tests of several instances, crashes and
 * restarts.
 */
public final class OtherInstance implements AutoCloseable {

    private final Process process;

    private OtherInstance(Process process) {
        this.process = process;
    }

    /**
     * Starts one, logging to {@code target/<name>.log}.
     * @param retrySchedule its {@code sensorhub.webhooks.retry-schedule}
     */
    public static OtherInstance start(String name, String retrySchedule) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                        "-XX:TieredStopAtLevel=1", "-cp", classPath(), NotifierJobApplication.class.getName()));
        command.addAll(TestServices.get().springArguments());
        command.addAll(List.of("--server.port=0", "--sensorhub.webhooks.allow-private-networks=true",
                "--sensorhub.webhooks.timeout=2s", "--sensorhub.webhooks.lease=5s",
                "--sensorhub.webhooks.poll-interval=1s", "--sensorhub.webhooks.retry-schedule=" + retrySchedule,
                "--sensorhub.secrets.key=" + NotifierIntegrationTest.SECRETS_KEY));
        File log = new File("target/" + name + ".log");
        return new OtherInstance(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start());
    }

    /** Its process id, the start of its {@code locked_by}. */
    public long pid() {
        return this.process.pid();
    }

    /** Kills it at once (SIGKILL), as a crash would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        this.process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /**
     * The test class path (Surefire puts the real one here; java.class.path may be a
     * manifest-only jar).
     */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
    }

}
