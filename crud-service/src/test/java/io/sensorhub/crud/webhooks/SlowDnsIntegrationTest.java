package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A DNS zone that does not answer: webhook requests naming hosts in it wait for them
 * without a database connection, at most {@code max-concurrent-resolutions} lookups at a
 * time, while every other endpoint keeps answering.
 */
@Import(SlowDnsIntegrationTest.SlowDnsConfiguration.class)
@TestPropertySource(properties = { "sensorhub.webhooks.dns-timeout=120s",
        "sensorhub.webhooks.max-concurrent-resolutions=" + SlowDnsIntegrationTest.SLOTS })
class SlowDnsIntegrationTest extends ApiIntegrationTest {

    static final int SLOTS = 3;

    static final String SLOW_ZONE = ".slow-zone.sensorhub.test";

    static final SlowDns DNS = new SlowDns();

    private final ExecutorService requests = Executors.newCachedThreadPool();

    @AfterEach
    void answerDns() {
        DNS.release();
        this.requests.shutdownNow();
    }

    @Test
    void webhooksWaitingForDnsHoldNoConnectionAndTheApiKeepsAnswering() throws Exception {
        DNS.hang();
        Api client = newClient();
        String sensor = sensorId("dns");
        client.createSensor(sensor);
        String webhook = body(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/"))).get("id").asString();

        List<Future<MvcTestResult>> waiting = new ArrayList<>();
        for (int i = 0; i < SLOTS - 1; i++) {
            String host = "hooks-" + i + SLOW_ZONE;
            waiting.add(this.requests.submit(() -> client.post("/api/v1/webhooks",
                    Map.of("url", "https://" + host + "/hook", "sensorIds", List.of(sensor)))));
        }
        waiting.add(this.requests.submit(() -> client.patch("/api/v1/webhooks/" + webhook,
                Map.of("url", "https://patched" + SLOW_ZONE + "/hook"), null)));
        await().atMost(Duration.ofSeconds(60)).until(() -> DNS.inProgress() == SLOTS);

        MvcTestResult busy = client.post("/api/v1/webhooks", Map.of("url", "https://more" + SLOW_ZONE + "/hook"));
        assertThat(problem(busy, 503).get("detail").asString()).contains("resolved");
        assertThat(busy.getResponse().getHeader("Retry-After")).isNotBlank();
        for (int i = 0; i < 30; i++) { // more requests than the pool has connections
            assertThat(client.get("/api/v1/sensors")).hasStatusOk();
            assertThat(client.get("/api/v1/webhooks/" + webhook)).hasStatusOk();
        }
        assertThat(this.jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND state LIKE 'idle in transaction%'""").query(Long.class).single())
            .isZero();
        assertThat(waiting).noneMatch(Future::isDone);

        DNS.release();
        for (Future<MvcTestResult> request : waiting) {
            assertThat(request.get(60, TimeUnit.SECONDS).getResponse().getStatus()).isIn(200, 201);
        }
        assertThat(body(client.get("/api/v1/webhooks/" + webhook)).get("url").asString())
            .isEqualTo("https://patched" + SLOW_ZONE + "/hook");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SlowDnsConfiguration {

        @Bean
        HostResolver slowDns() {
            return DNS;
        }

    }

    /**
     * Resolves names in {@link #SLOW_ZONE} to a public address, after {@link #release()}
     * while hanging.
     */
    static final class SlowDns implements HostResolver {

        private final AtomicInteger inProgress = new AtomicInteger();

        private volatile CountDownLatch answer = new CountDownLatch(0);

        void hang() {
            this.answer = new CountDownLatch(1);
        }

        void release() {
            this.answer.countDown();
        }

        int inProgress() {
            return this.inProgress.get();
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (!host.endsWith(SLOW_ZONE)) {
                return InetAddress.getAllByName(host);
            }
            this.inProgress.incrementAndGet();
            try {
                this.answer.await();
                return new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 8, 8, 4, 4 }) };
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException(host);
            }
            finally {
                this.inProgress.decrementAndGet();
            }
        }

    }

}
