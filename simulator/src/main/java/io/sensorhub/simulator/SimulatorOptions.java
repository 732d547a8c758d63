package io.sensorhub.simulator;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.sensorhub.common.readings.ReadingTopology;

/**
 * The simulator's command-line options.
 *
 * @param amqpUri the broker, e.g. {@code amqp://guest:guest@localhost:5672/%2F}; with
 * MQTT, its host, user, password and virtual host
 * @param exchange the readings exchange (AMQP)
 * @param protocol how readings are published
 * @param mqttPort the port of the broker's MQTT plugin (MQTT)
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
record SimulatorOptions(URI amqpUri, String exchange, Protocol protocol, int mqttPort, int sensors, String prefix,
        double rate, Duration duration, int batch, URI api, String token, double silenceProbability, long seed) {

    /** How readings are published. */
    enum Protocol {

        /** AMQP 0-9-1 to the readings exchange, with publisher confirms. */
        AMQP,

        /** MQTT 3.1.1 at QoS 1 through RabbitMQ's MQTT plugin. */
        MQTT

    }

    static final String USAGE = """
            Usage: java -jar simulator.jar [options]
              --uri URI            AMQP URI (default amqp://guest:guest@localhost:5672/%%2F); with MQTT, its host,
                                   user, password and virtual host are used
              --protocol P         amqp (default) or mqtt: QoS 1 to topic %s<sensorId> through RabbitMQ's
                                   MQTT plugin, as user <vhost>:<user>
              --mqtt-port N        port of the MQTT plugin (default 1883)
              --exchange NAME      readings exchange, AMQP only (default %s)
              --sensors N          number of sensors (default 10)
              --prefix P           sensor id prefix (default sim-)
              --rate R             readings per second, all sensors (default 10)
              --duration S         seconds to run, 0 = until stopped (default 0)
              --batch B            readings per message, 1 = single objects (default 1)
              --api URL            register the sensors through crud-service first (e.g. http://localhost:8080)
              --token T            client token for --api
              --silence P          chance per sensor-second to fall silent for 30-120 s (default 0.0005)
              --seed N             random seed (default: time)
            """.formatted(ReadingTopology.MQTT_TOPIC_PREFIX, ReadingTopology.EXCHANGE);

    /** The MQTT server: {@code tcp://<host of the AMQP URI>:<mqtt port>}. */
    String mqttServerUri() {
        return "tcp://" + this.amqpUri.getHost() + ":" + this.mqttPort;
    }

    /**
     * The MQTT user name: {@code <vhost>:<user>}, which selects the AMQP URI's virtual
     * host in RabbitMQ's MQTT plugin.
     */
    String mqttUserName() {
        return virtualHost() + ":" + userInfo(0);
    }

    /** The password of the AMQP URI (guest without one). */
    String brokerPassword() {
        return userInfo(1);
    }

    /**
     * The AMQP URI's virtual host: its path without the leading slash, decoded; "/"
     * without one.
     */
    String virtualHost() {
        String path = this.amqpUri.getRawPath();
        if (path == null || path.length() <= 1) {
            return "/";
        }
        return URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    }

    private String userInfo(int part) {
        String userInfo = this.amqpUri.getRawUserInfo();
        String[] parts = (userInfo != null) ? userInfo.split(":", 2) : new String[0];
        return (part < parts.length) ? URLDecoder.decode(parts[part], StandardCharsets.UTF_8) : "guest";
    }

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

        private Protocol protocol = Protocol.AMQP;

        private int mqttPort = 1883;

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
                    case "--protocol" -> this.protocol = Protocol.valueOf(value.toUpperCase(Locale.ROOT));
                    case "--mqtt-port" -> this.mqttPort = Integer.parseInt(value);
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
            check(this.mqttPort >= 1 && this.mqttPort <= 65535, "--mqtt-port must be 1 to 65535");
            check(this.prefix.matches("[A-Za-z0-9._:-]{0,50}"),
                    "--prefix may hold only A-Z a-z 0-9 . _ : - (at most 50)");
            check(this.rate > 0, "--rate must be positive");
            check(this.batch >= 1 && this.batch <= 1000, "--batch must be 1 to 1000");
            check(this.api == null || this.token != null, "--api needs --token");
            check(this.silence >= 0 && this.silence < 1, "--silence must be in [0, 1)");
            if (!this.errors.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", this.errors) + "\n" + USAGE);
            }
            return new SimulatorOptions(this.amqpUri, this.exchange, this.protocol, this.mqttPort, this.sensors,
                    this.prefix, this.rate, this.duration, this.batch, this.api, this.token, this.silence, this.seed);
        }

        private void check(boolean condition, String message) {
            if (!condition) {
                this.errors.add(message);
            }
        }

    }
}
