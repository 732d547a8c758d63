package io.sensorhub.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.sensorhub.common.readings.ReadingTopology;

/**
 * Publishes persistent messages to the readings exchange with routing key
 * {@value ReadingTopology#ROUTING_KEY_PREFIX}{@code <sensorId>} and publisher confirms
 * and resends what the broker nacks or what was unconfirmed when the connection dropped,
 * so every message is confirmed at least once. At most {@code maxOutstanding} messages
 * wait for their confirm; publishing blocks beyond that (backpressure instead of
 * unbounded memory).
 */
final class ConfirmingPublisher implements ReadingSender {

    private static final AMQP.BasicProperties JSON = MessageProperties.PERSISTENT_BASIC.builder()
        .contentType("application/json")
        .build();

    private record Pending(String routingKey, byte[] body) {
    }

    private final Connection connection;

    private final Channel channel;

    private final String exchange;

    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();

    private final Semaphore window;

    private final AtomicLong confirmed = new AtomicLong();

    private final AtomicLong resent = new AtomicLong();

    ConfirmingPublisher(String amqpUri, String exchange, int maxOutstanding) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUri);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1000);
        this.connection = factory.newConnection("sensorhub-simulator");
        this.channel = this.connection.createChannel();
        this.channel.confirmSelect();
        this.exchange = exchange;
        this.window = new Semaphore(maxOutstanding);
        this.channel.addConfirmListener(this::acked, this::nacked);
        ((Recoverable) this.channel).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                resendAll();
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
            }
        });
    }

    @Override
    public void publish(String sensorId, String json) throws IOException, InterruptedException {
        this.window.acquire();
        send(new Pending(ReadingTopology.ROUTING_KEY_PREFIX + sensorId, json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public long confirmed() {
        return this.confirmed.get();
    }

    @Override
    public long resent() {
        return this.resent.get();
    }

    @Override
    public int outstanding() {
        return this.outstanding.size();
    }

    @Override
    public void close() throws IOException {
        this.connection.close();
    }

    private synchronized void send(Pending message) throws IOException {
        long sequence = this.channel.getNextPublishSeqNo();
        this.outstanding.put(sequence, message);
        this.channel.basicPublish(this.exchange, message.routingKey(), JSON, message.body());
    }

    private void acked(long sequence, boolean multiple) {
        int released = remove(sequence, multiple).size();
        this.confirmed.addAndGet(released);
        this.window.release(released);
    }

    private void nacked(long sequence, boolean multiple) {
        for (Pending message : remove(sequence, multiple).values()) {
            resend(message);
        }
    }

    private Map<Long, Pending> remove(long sequence, boolean multiple) {
        ConcurrentNavigableMap<Long, Pending> done = multiple ? this.outstanding.headMap(sequence, true)
                : this.outstanding.subMap(sequence, true, sequence, true);
        Map<Long, Pending> copy = Map.copyOf(done);
        done.clear();
        return copy;
    }

    /**
     * After a reconnect the broker forgot the old sequence numbers: send everything
     * unconfirmed again.
     */
    private synchronized void resendAll() {
        Map<Long, Pending> unconfirmed = Map.copyOf(this.outstanding);
        this.outstanding.clear();
        unconfirmed.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> resend(entry.getValue()));
    }

    private void resend(Pending message) {
        try {
            this.resent.incrementAndGet();
            send(message);
        }
        catch (IOException ex) {
            // The connection is down: the message stays outstanding and goes again on
            // recovery.
        }
    }

}
