package io.sensorhub.simulator;

import java.net.URI;
import java.time.Duration;

import io.sensorhub.common.readings.ReadingTopology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SimulatorOptionsTest {

    @Test
    void defaultsWhenNothingIsGiven() {
        SimulatorOptions options = SimulatorOptions.parse();
        assertThat(options.sensors()).isEqualTo(10);
        assertThat(options.batch()).isEqualTo(1);
        assertThat(options.exchange()).isEqualTo(ReadingTopology.EXCHANGE);
        assertThat(options.duration()).isEqualTo(Duration.ZERO);
        assertThat(options.api()).isNull();
        assertThat(options.protocol()).isEqualTo(SimulatorOptions.Protocol.AMQP);
        assertThat(options.mqttServerUri()).isEqualTo("tcp://localhost:1883");
        assertThat(options.mqttUserName()).isEqualTo("/:guest");
        assertThat(options.brokerPassword()).isEqualTo("guest");
    }

    @Test
    void everyOptionIsRead() {
        SimulatorOptions options = SimulatorOptions.parse("--uri", "amqp://u:p@h:1/v", "--sensors", "7", "--prefix",
                "b-", "--rate", "2.5", "--duration", "3", "--batch", "100", "--api", "http://x:8080", "--token", "t",
                "--silence", "0.1", "--seed", "42", "--exchange", "e", "--protocol", "mqtt", "--mqtt-port", "1884");
        assertThat(options)
            .isEqualTo(new SimulatorOptions(URI.create("amqp://u:p@h:1/v"), "e", SimulatorOptions.Protocol.MQTT, 1884,
                    7, "b-", 2.5, Duration.ofSeconds(3), 100, URI.create("http://x:8080"), "t", 0.1, 42));
    }

    @Test
    void mqttConnectsToTheAmqpUrisHostAsUserOfItsVirtualHost() {
        SimulatorOptions options = SimulatorOptions.parse("--uri", "amqp://dev%40x:p%3Aw@broker:5672/site%2F1",
                "--protocol", "MQTT", "--mqtt-port", "1884");
        assertThat(options.mqttServerUri()).isEqualTo("tcp://broker:1884");
        assertThat(options.mqttUserName()).isEqualTo("site/1:dev@x");
        assertThat(options.brokerPassword()).isEqualTo("p:w");
        assertThat(SimulatorOptions.parse("--uri", "amqp://u:p@h:5672/%2F").mqttUserName()).isEqualTo("/:u");
    }

    @Test
    void badOptionsAreAllReported() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SimulatorOptions.parse("--sensors", "0", "--batch", "1001", "--api", "http://x", "--wat",
                    "1"))
            .withMessageContaining("--sensors must be at least 1")
            .withMessageContaining("--batch must be 1 to 1000")
            .withMessageContaining("--api needs --token")
            .withMessageContaining("Unknown option --wat");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SimulatorOptions.parse("--protocol", "stomp", "--mqtt-port", "70000"))
            .withMessageContaining("Bad value for --protocol: stomp")
            .withMessageContaining("--mqtt-port must be 1 to 65535");
        assertThatIllegalArgumentException().isThrownBy(() -> SimulatorOptions.parse("--rate"))
            .withMessageContaining("Missing value for --rate");
        assertThatIllegalArgumentException().isThrownBy(() -> SimulatorOptions.parse("--prefix", "bad\"id"))
            .withMessageContaining("--prefix");
    }

}
