package io.sensorhub.quickstart;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command end to end: everything starts on free ports, a status change arrives, all stops. */
class QuickstartIntegrationTest {

    @Test
    void aSimulatedStatusChangeReachesTheDemoReceiverAndEverythingStops() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(output, true, StandardCharsets.UTF_8);
        List<ServiceProcess> services;
        try (Quickstart quickstart = Quickstart.start(Quickstart.repositoryRoot(), new Console(console))) {
            services = quickstart.services();
            assertThat(services).hasSize(3).allMatch(ServiceProcess::isAlive);
            assertThat(services).extracting(ServiceProcess::port).doesNotContain(8080, 8081, 8082);
            boolean delivered = quickstart.receiver().awaitVerified(1, Duration.ofSeconds(120));
            assertThat(delivered).as(output.toString(StandardCharsets.UTF_8)).isTrue();
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("SensorHub is running", "admin token", "demo client", "/swagger-ui.html",
                "embedded Qpid Broker-J");
        assertThat(printed).containsPattern("webhook ✔ demo-\\d+ +UNKNOWN +→ +(OK|WARNING|CRITICAL)");
        assertThat(services).noneMatch(ServiceProcess::isAlive);
        // SIGTERM alone stopped each service within 30 s (graceful shutdown), none had to be killed.
        assertThat(services).allMatch(ServiceProcess::stoppedGracefully);
    }
}
