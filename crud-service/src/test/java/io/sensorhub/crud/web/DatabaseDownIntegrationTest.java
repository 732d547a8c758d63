package io.sensorhub.crud.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.crud.support.ApiIntegrationTest;
import io.sensorhub.common.test.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL reached through a proxy the test cuts: readiness goes DOWN, requests needing
 * the database answer 503 problem+json (never 500), and everything recovers by itself
 * when the database is reachable again.
 */
class DatabaseDownIntegrationTest extends ApiIntegrationTest {

    private static final URI DATABASE = URI.create(TestServices.get().jdbcUrl().substring("jdbc:".length()));

    private static final TcpProxy proxy = new TcpProxy(DATABASE.getHost(), DATABASE.getPort());

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + DATABASE.getPath());
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @AfterAll
    static void restore() {
        proxy.restore();
    }

    @Test
    void readinessFollowsTheDatabaseAndRequestsGet503(@Autowired DataSourceProperties dataSource) {
        assertThat(dataSource.getUrl()).contains(":" + proxy.port() + "/");
        Api client = newClient();
        String id = sensorId("dbdown");
        client.createSensor(id);
        String webhook = body(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/dbdown"))).get("id")
            .asString();
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);

        proxy.cut();
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(status("/actuator/health/readiness")).isEqualTo(503));
        assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> problem(client.get("/api/v1/sensors/" + id), 503));
        problem(client.post("/api/v1/sensors", Map.of("id", sensorId("x"), "name", "x")), 503);
        problem(this.admin.get("/api/v1/clients"), 503);
        // the limits live in PostgreSQL too: a limited request is a 503 like any other
        assertThat(problem(client.post("/api/v1/webhooks/" + webhook + "/test", null), 503).get("type").asString())
            .endsWith("/service-unavailable");
        problem(client.post("/api/v1/webhooks", Map.of("url", "https://8.8.8.8/dbdown")), 503);
        problem(client.get("/api/v1/webhooks/" + webhook + "/stats"), 503);

        proxy.restore();
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(status("/actuator/health/readiness")).isEqualTo(200));
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(client.get("/api/v1/sensors/" + id)).hasStatusOk());
    }

    private int status(String path) {
        MvcTestResult result = this.mvc.get().uri(path).exchange();
        return result.getResponse().getStatus();
    }

}
