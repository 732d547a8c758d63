package io.sensorhub.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sensorhub.common.readings.ReadingTopology;

/**
 * The simulator's command-line options.
 *
 * @param amqpUri the broker, e.g. {@code amqp://guest:guest@localhost:5672/%2F}
 * @param exchange the readings exchange
 * @param sensors how many sensors to play
 * @param prefix sensor id prefix ({@code <prefix><n>})
 * @param rate readings per second, all sensors together
 * @param duration how long to run; zero runs until stopped
 * @param batch readings per message: 1 publishes single objects, more publishes arrays
 * @param api the crud-service base URL to register the sensors through first, or null
 * @param token the client token for {@code api}
 * @param silenceProbability chance per sensor and second of falling silent for a while
 * @param seed random seed, for repeatable runs
 */
record SimulatorOptions(URI amqpUri, String exchange, int sensors, String prefix, double rate, Duration duration,
        int batch, URI api, String token, double silenceProbability, long seed) {

    static final String USAGE = """
            Usage: java -jar simulator.jar [options]
              --uri URI            AMQP URI (default amqp://guest:guest@localhost:5672/%%2F)
              --exchange NAME      readings exchange (default %s)
              --sensors N          number of sensors (default 10)
              --prefix P           sensor id prefix (default sim-)
              --rate R             readings per second, all sensors (default 10)
              --duration S         seconds to run, 0 = until stopped (default 0)
              --batch B            readings per message, 1 = single objects (default 1)
              --api URL            register the sensors through crud-service first (e.g. http://localhost:8080)
              --token T            client token for --api
              --silence P          chance per sensor-second to fall silent for 30-120 s (default 0.0005)
              --seed N             random seed (default: time)
            """.formatted(ReadingTopology.EXCHANGE);

    static SimulatorOptions parse(String... args) {
        Builder builder = new Builder();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value for " + name + "\n" + USAGE);
            }
            builder.set(name, args[++i]);
        }
        return builder.build();
    }

    private static final class Builder {

        private final List<String> errors = new ArrayList<>();

        private URI amqpUri = URI.create("amqp://guest:guest@localhost:5672/%2F");

        private String exchange = ReadingTopology.EXCHANGE;

        private int sensors = 10;

        private String prefix = "sim-";

        private double rate = 10;

        private Duration duration = Duration.ZERO;

        private int batch = 1;

        private URI api;

        private String token;

        private double silence = 0.0005;

        private long seed = System.nanoTime();

        void set(String name, String value) {
            try {
                switch (name) {
                    case "--uri" -> this.amqpUri = URI.create(value);
                    case "--exchange" -> this.exchange = value;
                    case "--sensors" -> this.sensors = Integer.parseInt(value);
                    case "--prefix" -> this.prefix = value;
                    case "--rate" -> this.rate = Double.parseDouble(value);
                    case "--duration" -> this.duration = Duration.ofSeconds(Long.parseLong(value));
                    case "--batch" -> this.batch = Integer.parseInt(value);
                    case "--api" -> this.api = URI.create(value);
                    case "--token" -> this.token = value;
                    case "--silence" -> this.silence = Double.parseDouble(value);
                    case "--seed" -> this.seed = Long.parseLong(value);
                    default -> this.errors.add("Unknown option " + name);
                }
            }
            catch (IllegalArgumentException ex) {
                this.errors.add("Bad value for " + name + ": " + value);
            }
        }

        SimulatorOptions build() {
            check(this.sensors >= 1, "--sensors must be at least 1");
            check(this.prefix.matches("[A-Za-z0-9._:-]{0,50}"),
                    "--prefix may hold only A-Z a-z 0-9 . _ : - (at most 50)");
            check(this.rate > 0, "--rate must be positive");
            check(this.batch >= 1 && this.batch <= 1000, "--batch must be 1 to 1000");
            check(this.api == null || this.token != null, "--api needs --token");
            check(this.silence >= 0 && this.silence < 1, "--silence must be in [0, 1)");
            if (!this.errors.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", this.errors) + "\n" + USAGE);
            }
            return new SimulatorOptions(this.amqpUri, this.exchange, this.sensors, this.prefix, this.rate,
                    this.duration, this.batch, this.api, this.token, this.silence, this.seed);
        }

        private void check(boolean condition, String message) {
            if (!condition) {
                this.errors.add(message);
            }
        }

    }
}
