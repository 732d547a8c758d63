import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;

/**
 * The benchmark's fast publisher (bench/ingest.sh): publishes unique readings with publisher confirms
 * (asynchronous, a bounded window of unconfirmed messages), either as fast as possible or at a fixed rate.
 *
 * Reading j is for sensor "bench-(j % sensors)" at base + (first + j) / sensors seconds, so every reading is
 * unique; its value is 95 (CRITICAL under the benchmark's thresholds) every twentieth round and 50 (OK) otherwise,
 * so about one reading in ten changes its sensor's status.
 *
 * Usage: java -cp 'perftest/*' BenchPublisher.java HOST PORT VHOST EXCHANGE ROUTING_KEY|- SHAPE READINGS SENSORS
 *        BASE_EPOCH_SECONDS FIRST_INDEX RATE_MSGS_PER_S(0 = unlimited) [DURATION_SECONDS]
 * ROUTING_KEY "-" means "readings.<sensorId of the first reading>" (through the topic exchange).
 */
public class BenchPublisher {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String vhost = args[2];
        String exchange = args[3];
        String routingKey = args[4];
        int shape = Integer.parseInt(args[5]);
        long readings = Long.parseLong(args[6]);
        int sensors = Integer.parseInt(args[7]);
        long base = Long.parseLong(args[8]);
        long first = Long.parseLong(args[9]);
        double rate = Double.parseDouble(args[10]);
        long durationNanos = (args.length > 11) ? TimeUnit.SECONDS.toNanos(Long.parseLong(args[11])) : Long.MAX_VALUE;

        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setVirtualHost(vhost);
        try (Connection connection = factory.newConnection("bench-publisher")) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            Semaphore window = new Semaphore(2000);
            ConcurrentSkipListMap<Long, Integer> outstanding = new ConcurrentSkipListMap<>();
            channel.addConfirmListener((tag, multiple) -> release(outstanding, window, tag, multiple),
                    (tag, multiple) -> {
                        System.err.println("NACK " + tag);
                        System.exit(2);
                    });
            AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json").build();
            long started = System.nanoTime();
            long messages = 0;
            for (long j = 0; j < readings && System.nanoTime() - started < durationNanos; j += shape) {
                if (rate > 0) {
                    long due = started + (long) (messages * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        // sleep, not spin: on a small machine a spinning publisher takes a core from the consumer
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                int count = (int) Math.min(shape, readings - j);
                byte[] body = body(first + j, count, shape, sensors, base);
                window.acquire();
                outstanding.put(channel.getNextPublishSeqNo(), 1);
                String key = routingKey.equals("-") ? "readings.bench-" + ((first + j) % sensors) : routingKey;
                channel.basicPublish(exchange, key, properties, body);
                messages++;
            }
            channel.waitForConfirmsOrDie(120_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("published %d messages in %.2f s (%.0f msg/s)%n", messages, seconds, messages / seconds);
        }
    }

    private static void release(ConcurrentSkipListMap<Long, Integer> outstanding, Semaphore window, long tag,
            boolean multiple) {
        if (multiple) {
            var confirmed = outstanding.headMap(tag, true);
            int n = confirmed.size();
            confirmed.clear();
            window.release(n);
        }
        else if (outstanding.remove(tag) != null) {
            window.release();
        }
    }

    private static byte[] body(long start, int count, int shape, int sensors, long base) {
        StringBuilder json = new StringBuilder(count * 90);
        if (shape > 1) {
            json.append('[');
        }
        for (int i = 0; i < count; i++) {
            long j = start + i;
            long round = j / sensors;
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"sensorId\":\"bench-").append(j % sensors).append("\",\"timestamp\":\"")
                .append(Instant.ofEpochSecond(base + round)).append("\",\"value\":")
                .append((round % 20 == 19) ? "95.0" : "50.0").append('}');
        }
        if (shape > 1) {
            json.append(']');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
