package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.logging.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Consumes one queue (an ingest partition, or the legacy queue being drained) on a thread
 * and a channel of its own, in batches handed to its {@link IngestListener}.
 * <p>
 * A batch is whatever has arrived, up to the batch size: the thread waits for the first
 * message and takes every message already there with it, so a batch closes as soon as
 * nothing more is ready. Under load messages pile up while the previous batch is stored,
 * and batches grow by themselves; when it is quiet a reading is stored the moment it
 * arrives. (Spring's listener containers close a batch only after a receive timeout with
 * no message, which puts that timeout on every reading's latency.)
 * <p>
 * When the channel or the connection fails, the deliveries it brought are dropped (the
 * broker redelivers them) and the consumer subscribes again after a pause, until
 * {@link #stop}.
 */
final class PartitionConsumer {

    private static final Logger log = LoggerFactory.getLogger(PartitionConsumer.class);

    /** Put in the hand-off queue when the channel ends. */
    private static final Delivery END = new Delivery(null, null, null);

    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);

    private static final MessagePropertiesConverter PROPERTIES = new DefaultMessagePropertiesConverter();

    private final String queue;

    private final ConnectionFactory connections;

    private final IngestListener listener;

    private final int prefetch;

    private final int batchSize;

    private final Duration handOverGrace;

    private final Thread worker;

    private volatile boolean running = true;

    /** Ends when the queue no longer exists (the broker cancelled the consumer). */
    private volatile boolean queueGone;

    /**
     * Starts consuming {@code queue}.
     * @param handOverGrace how long {@link #stop} lets a batch in flight finish
     */
    PartitionConsumer(String queue, ConnectionFactory connections, IngestListener listener, int prefetch, int batchSize,
            Duration handOverGrace) {
        this.queue = queue;
        this.connections = connections;
        this.listener = listener;
        this.prefetch = prefetch;
        this.batchSize = batchSize;
        this.handOverGrace = handOverGrace;
        this.worker = Threads.start("ingest-" + queue, this::run);
    }

    String queue() {
        return this.queue;
    }

    /**
     * Whether the consumer still runs: false after {@link #stop}, or once the broker
     * cancelled it because the queue was deleted.
     */
    boolean isRunning() {
        return this.running && !this.queueGone;
    }

    /**
     * Stops consuming: hands over (the batch in flight is finished or given up, the
     * channel closed, unacknowledged messages returned in order) and waits for the thread
     * to end. When this returns, this instance consumes nothing more from the queue.
     */
    void stop() {
        this.running = false;
        this.listener.handOver(this.worker, this.handOverGrace);
        this.worker.interrupt();
        try {
            this.worker.join(this.handOverGrace.toMillis() + 5000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (this.worker.isAlive()) {
            log.warn("Consumer thread of {} did not end; its channel is closed", this.queue);
        }
    }

    private void run() {
        while (this.running && !this.queueGone) {
            try {
                consumeUntilChannelEnds();
            }
            catch (IOException | RuntimeException ex) {
                if (this.running) {
                    log.warn("Consuming {} failed ({}); subscribing again in {}", this.queue, SafeText.printable(ex),
                            RESUBSCRIBE_DELAY);
                }
            }
            catch (InterruptedException ex) {
                return;
            }
            if (this.running && !this.queueGone) {
                try {
                    Thread.sleep(RESUBSCRIBE_DELAY.toMillis());
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }

    private void consumeUntilChannelEnds() throws IOException, InterruptedException {
        BlockingQueue<Delivery> arrived = new LinkedBlockingQueue<>();
        Channel channel = this.connections.createConnection().createChannel(false);
        try {
            channel.basicQos(this.prefetch);
            channel.basicConsume(this.queue, false, new HandOff(channel, arrived));
            while (this.running) {
                Delivery first = arrived.poll(1, TimeUnit.SECONDS);
                if (first == END) {
                    return;
                }
                if (first == null) {
                    if (!channel.isOpen()) {
                        return;
                    }
                    continue;
                }
                List<Delivery> batch = new ArrayList<>(Math.min(this.batchSize, arrived.size() + 1));
                batch.add(first);
                arrived.drainTo(batch, this.batchSize - 1);
                boolean ended = batch.remove(END);
                this.listener.onMessageBatch(batch.stream().map(this::message).toList(), channel);
                if (ended) {
                    return;
                }
            }
        }
        finally {
            abort(channel);
        }
    }

    private Message message(Delivery delivery) {
        MessageProperties properties = PROPERTIES.toMessageProperties(delivery.getProperties(), delivery.getEnvelope(),
                "UTF-8");
        properties.setConsumerQueue(this.queue);
        return new Message(delivery.getBody(), properties);
    }

    /**
     * Closes the channel itself, never returning it to the connection factory's cache (it
     * holds a consumer).
     */
    private static void abort(Channel channel) {
        Channel target = (channel instanceof org.springframework.amqp.rabbit.connection.ChannelProxy proxy)
                ? proxy.getTargetChannel() : channel;
        try {
            target.abort();
        }
        catch (IOException | RuntimeException ex) {
            log.debug("Closing a consumer channel: {}", SafeText.printable(ex));
        }
    }

    /**
     * Passes deliveries from the client's thread to the consumer's, and {@link #END} when
     * the channel or the subscription ends.
     */
    private final class HandOff extends DefaultConsumer {

        private final BlockingQueue<Delivery> arrived;

        HandOff(Channel channel, BlockingQueue<Delivery> arrived) {
            super(channel);
            this.arrived = arrived;
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                byte[] body) {
            this.arrived.add(new Delivery(envelope, properties, body));
        }

        @Override
        public void handleCancel(String consumerTag) {
            log.info("The broker cancelled the consumer of {} (queue deleted)", PartitionConsumer.this.queue);
            PartitionConsumer.this.queueGone = true;
            this.arrived.add(END);
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
            this.arrived.add(END);
        }

    }

}
