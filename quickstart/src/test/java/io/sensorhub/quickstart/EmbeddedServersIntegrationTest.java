package io.sensorhub.quickstart;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.sensorhub.common.readings.ReadingTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded servers of the quickstart start on free ports and serve what SensorHub
 * needs of them.
 */
class EmbeddedServersIntegrationTest {

    @Test
    void postgresRedisAndBrokerServe(@TempDir Path work) throws Exception {
        try (EmbeddedServers servers = EmbeddedServers.start(work, EmbeddedServers.Broker.EMBEDDED)) {
            try (Connection connection = DriverManager.getConnection(servers.jdbcUrl(), "postgres", "");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("sensorhub");
            }
            try (Socket redis = new Socket("127.0.0.1", servers.redisPort())) {
                redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(redis.getInputStream().readNBytes(7), StandardCharsets.US_ASCII))
                    .isEqualTo("+PONG\r\n");
            }
            assertThat(servers.amqp().embedded()).isTrue();
            assertThat(servers.amqp().port()).isNotEqualTo(5672);
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(servers.amqp().host());
            factory.setPort(servers.amqp().port());
            factory.setVirtualHost(servers.amqp().virtualHost());
            try (com.rabbitmq.client.Connection connection = factory.newConnection();
                    Channel channel = connection.createChannel()) {
                channel.exchangeDeclare(ReadingTopology.EXCHANGE, "topic", true);
                // RabbitMQ-only arguments are accepted (and ignored) by the embedded
                // broker.
                channel.queueDeclare(ReadingTopology.INGEST_QUEUE, true, false, false,
                        Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", "", "x-delivery-limit", 5));
                channel.queueBind(ReadingTopology.INGEST_QUEUE, ReadingTopology.EXCHANGE, ReadingTopology.BINDING_KEY);
                channel.confirmSelect();
                channel.basicPublish(ReadingTopology.EXCHANGE, ReadingTopology.ROUTING_KEY_PREFIX + "s-1", null,
                        "{}".getBytes(StandardCharsets.UTF_8));
                assertThat(channel.waitForConfirms(5000)).isTrue();
                GetResponse message = channel.basicGet(ReadingTopology.INGEST_QUEUE, true);
                assertThat(message).isNotNull();
                assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{}");
            }
        }
    }

}
