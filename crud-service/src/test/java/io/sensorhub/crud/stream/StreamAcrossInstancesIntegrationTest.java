package io.sensorhub.crud.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sensorhub.common.test.TestServices;
import io.sensorhub.crud.CrudServiceApplication;
import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two crud-service instances over one database, as behind nginx: an event reaches the
 * client's streams on both, each instance following the log itself.
 */
class StreamAcrossInstancesIntegrationTest extends ApiIntegrationTest {

    private static ConfigurableApplicationContext second;

    @Value("${local.server.port}")
    private int firstPort;

    @Autowired
    private TransactionTemplate transactions;

    @BeforeAll
    static void startSecondInstance() {
        List<String> arguments = new ArrayList<>(TestServices.get().springArguments());
        arguments.addAll(List.of("--server.port=0", "--sensorhub.admin-token=" + ADMIN_TOKEN,
                "--sensorhub.secrets.key=" + SECRETS_KEY));
        second = new SpringApplicationBuilder(CrudServiceApplication.class).run(arguments.toArray(String[]::new));
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void anEventReachesTheClientsStreamsOnBothInstances() throws Exception {
        Api client = newClient();
        int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
        try (SseClient onFirst = SseClient.open("http://127.0.0.1:" + this.firstPort, client.token, null);
                SseClient onSecond = SseClient.open("http://127.0.0.1:" + secondPort, client.token, null)) {
            assertThat(onFirst.response.statusCode()).isEqualTo(200);
            assertThat(onSecond.response.statusCode()).isEqualTo(200);

            long id = append(client.clientId);

            assertThat(onFirst.next().id()).isEqualTo(id);
            assertThat(onSecond.next().id()).isEqualTo(id);
        }
    }

    private long append(UUID clientId) {
        return StreamEventLog.append(this.jdbc, this.transactions, clientId, "webhook.failing",
                "{\"type\": \"webhook.failing\"}");
    }

}
