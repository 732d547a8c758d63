package io.sensorhub.quickstart;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sensorhub.common.test.TestServices;

/**
 * The services' built jars run as separate JVMs (ChaosIT, DashboardIT) on this test run's
 * own database, virtual host and Redis key prefix ({@link TestServices}), with an admin
 * token and a secrets key of the run. Closing kills every process it started.
 */
final class ServiceJars implements AutoCloseable {

    /**
     * The key webhook secrets are encrypted with at rest (a test value, never a real
     * one).
     */
    private static final String SECRETS_KEY = "c2Vuc29yaHViLXRlc3Qta2V5LW5vdC1hLXNlY3JldCE=";

    private final TestServices services;

    private final Path root;

    private final Path logs;

    private final String adminToken = randomToken();

    private final List<ServiceProcess> started = new ArrayList<>();

    /** Logs go to {@code quickstart/target/<logDirectory>/<name>-<n>}. */
    ServiceJars(TestServices services, String logDirectory) {
        this.services = services;
        this.root = repositoryRoot();
        this.logs = this.root.resolve("quickstart/target").resolve(logDirectory);
    }

    String adminToken() {
        return this.adminToken;
    }

    /**
     * Starts the service's jar, without waiting for it to be ready, with the shared
     * settings and these on top.
     */
    ServiceProcess launch(String name, Map<String, String> settings) throws Exception {
        Map<String, String> spring = new HashMap<>(this.services.springProperties());
        spring.put("sensorhub.admin-token", this.adminToken);
        spring.put("sensorhub.secrets.key", SECRETS_KEY);
        spring.put("sensorhub.webhooks.allow-private-networks", "true");
        spring.putAll(settings);
        List<String> properties = new ArrayList<>();
        spring.forEach((key, value) -> properties.add(key + "=" + value));
        ServiceProcess process = ServiceProcess.start(this.root, name, EmbeddedServers.freePort(), properties,
                this.logs.resolve(name + "-" + this.started.size()));
        this.started.add(process);
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess process : this.started) {
            process.kill();
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Path repositoryRoot() {
        try {
            return Quickstart.repositoryRoot();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
