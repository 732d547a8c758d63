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
    }

    @Test
    void everyOptionIsRead() {
        SimulatorOptions options = SimulatorOptions.parse("--uri", "amqp://u:p@h:1/v", "--sensors", "7", "--prefix",
                "b-", "--rate", "2.5", "--duration", "3", "--batch", "100", "--api", "http://x:8080", "--token", "t",
                "--silence", "0.1", "--seed", "42", "--exchange", "e");
        assertThat(options).isEqualTo(new SimulatorOptions(URI.create("amqp://u:p@h:1/v"), "e", 7, "b-", 2.5,
                Duration.ofSeconds(3), 100, URI.create("http://x:8080"), "t", 0.1, 42));
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
        assertThatIllegalArgumentException().isThrownBy(() -> SimulatorOptions.parse("--rate"))
            .withMessageContaining("Missing value for --rate");
        assertThatIllegalArgumentException().isThrownBy(() -> SimulatorOptions.parse("--prefix", "bad\"id"))
            .withMessageContaining("--prefix");
    }

}
