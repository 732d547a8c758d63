package io.sensorhub.crud.web;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorIntegrationTest extends ApiIntegrationTest {

    @Test
    void livenessAndReadinessAreUpWithoutAToken() {
        assertThat(this.mvc.get().uri("/actuator/health/liveness").exchange()).hasStatusOk()
            .bodyJson()
            .extractingPath("$.status")
            .isEqualTo("UP");
        assertThat(this.mvc.get().uri("/actuator/health/readiness").exchange()).hasStatusOk()
            .bodyJson()
            .extractingPath("$.status")
            .isEqualTo("UP");
    }

    @Test
    void prometheusHasLatencyHistogramsPerEndpoint() {
        Api client = newClient();
        String id = sensorId("metrics");
        client.createSensor(id);
        client.get("/api/v1/sensors/" + id);
        MvcTestResult result = this.mvc.get().uri("/actuator/prometheus").exchange();
        assertThat(result).hasStatusOk();
        String metrics = new String(result.getResponse().getContentAsByteArray());
        assertThat(metrics)
            .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/v1/sensors/\\{id}\"");
    }

}
