package io.sensorhub.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sensorhub.common.readings.ReadingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays N sensors publishing readings at a given overall rate, single readings or arrays:
 * to {@value ReadingTopology#EXCHANGE} with AMQP publisher confirms, or with MQTT at QoS
 * 1 to {@value ReadingTopology#MQTT_TOPIC_PREFIX}{@code <sensorId>} ({@code --protocol}).
 * Run {@code java -jar simulator.jar --help} for the options.
 */
public final class Simulator {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);

    private static final Duration TICK = Duration.ofMillis(50);

    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    /** Messages waiting for the broker's acknowledgement before publishing blocks. */
    private static final int MAX_OUTSTANDING = 10_000;

    private final SimulatorOptions options;

    private final List<SensorModel> sensors = new ArrayList<>();

    private final AtomicBoolean running = new AtomicBoolean(true);

    private long published;

    private int next;

    Simulator(SimulatorOptions options) {
        this.options = options;
        Random random = new Random(options.seed());
        for (int i = 1; i <= options.sensors(); i++) {
            this.sensors.add(new SensorModel(options.prefix() + i, new Random(random.nextLong())));
        }
    }

    public static void main(String[] args) throws Exception {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Simulator simulator = new Simulator(options);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "simulator-stop"));
        simulator.run();
    }

    /**
     * A simulator configured by command-line style options (see {@code --help}); throws
     * on bad options.
     */
    public static Simulator fromArguments(String... args) {
        return new Simulator(SimulatorOptions.parse(args));
    }

    /** Asks the run loop to finish (it then waits for outstanding confirms). */
    public void stop() {
        this.running.set(false);
    }

    /**
     * Registers (if asked), then publishes until the duration is over or {@link #stop()};
     * answers messages published.
     */
    public long run() throws Exception {
        if (this.options.api() != null) {
            register();
        }
        try (ReadingSender publisher = openSender()) {
            publishUntilDone(publisher);
            boolean all = publisher.awaitConfirms(Duration.ofSeconds(30));
            log.info("Done: {} messages published, {} confirmed, {} resent{}", this.published, publisher.confirmed(),
                    publisher.resent(), all ? "" : ", " + publisher.outstanding() + " NOT confirmed");
        }
        return this.published;
    }

    private ReadingSender openSender() throws Exception {
        return switch (this.options.protocol()) {
            case AMQP ->
                new ConfirmingPublisher(this.options.amqpUri().toString(), this.options.exchange(), MAX_OUTSTANDING);
            case MQTT -> new MqttSender(this.options.mqttServerUri(), this.options.mqttUserName(),
                    this.options.brokerPassword(), MAX_OUTSTANDING);
        };
    }

    private void register() throws Exception {
        SensorRegistrar registrar = new SensorRegistrar(this.options.api(), this.options.token());
        for (SensorModel sensor : this.sensors) {
            registrar.register(sensor.id());
        }
        log.info("Registered {} sensors through {}", this.sensors.size(), this.options.api());
    }

    private void publishUntilDone(ReadingSender publisher) throws Exception {
        Instant start = Instant.now();
        Instant end = this.options.duration().isZero() ? Instant.MAX : start.plus(this.options.duration());
        Instant lastTick = start;
        Instant lastReport = start;
        double owed = 0;
        while (this.running.get() && Instant.now().isBefore(end)) {
            Instant now = Instant.now();
            double elapsed = Duration.between(lastTick, now).toNanos() / 1e9;
            owed += elapsed * this.options.rate();
            int due = wholeBatches((int) owed);
            owed -= due;
            publishReadings(publisher, now, due);
            lastTick = now;
            if (Duration.between(lastReport, now).compareTo(REPORT_EVERY) >= 0) {
                log.info("{} messages published, {} confirmed, {} resent", this.published, publisher.confirmed(),
                        publisher.resent());
                lastReport = now;
            }
            TimeUnit.NANOSECONDS.sleep(TICK.toNanos());
        }
    }

    /**
     * The readings to send now: whole messages of {@code --batch} readings only, so that
     * the rest waits for the next tick instead of going out as a short message (a tick
     * owes 20.4 readings at 400/s; sending 10+10+0.4 every tick would publish more,
     * smaller messages than {@code --batch} promises).
     */
    private int wholeBatches(int owed) {
        return owed - owed % this.options.batch();
    }

    private void publishReadings(ReadingSender publisher, Instant now, int due) throws Exception {
        double secondsBetweenVisits = this.sensors.size() / this.options.rate();
        List<String> readings = new ArrayList<>();
        String firstSensor = null;
        for (int i = 0; i < due; i++) {
            SensorModel sensor = this.sensors.get(this.next);
            this.next = (this.next + 1) % this.sensors.size();
            if (!sensor.reports(now, this.options.silenceProbability(), secondsBetweenVisits)) {
                continue;
            }
            firstSensor = (firstSensor != null) ? firstSensor : sensor.id();
            readings.add(reading(sensor, now));
            if (readings.size() == this.options.batch()) {
                send(publisher, firstSensor, readings);
                readings.clear();
                firstSensor = null;
            }
        }
        if (!readings.isEmpty()) {
            send(publisher, firstSensor, readings);
        }
    }

    private void send(ReadingSender publisher, String sensorId, List<String> readings) throws Exception {
        String body = (this.options.batch() == 1 && readings.size() == 1) ? readings.get(0) : array(readings);
        try {
            publisher.publish(sensorId, body);
            this.published++;
        }
        catch (java.io.IOException ex) {
            log.warn("Broker unreachable ({}); unconfirmed messages are resent on reconnect", ex.getMessage());
        }
    }

    private static String reading(SensorModel sensor, Instant now) {
        return "{\"sensorId\":\"" + sensor.id() + "\",\"timestamp\":\"" + sensor.timestampAt(now) + "\",\"value\":"
                + sensor.valueAt(now) + "}";
    }

    private static String array(List<String> readings) {
        StringJoiner joiner = new StringJoiner(",", "[", "]");
        readings.forEach(joiner::add);
        return joiner.toString();
    }

}
