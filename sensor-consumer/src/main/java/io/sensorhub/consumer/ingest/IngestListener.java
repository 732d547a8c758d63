package io.sensorhub.consumer.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.rabbitmq.client.Channel;
import io.sensorhub.common.logging.SafeText;
import io.sensorhub.common.readings.ParsedMessage;
import io.sensorhub.common.readings.Reading;
import io.sensorhub.common.readings.ReadingParser;
import io.sensorhub.common.readings.RejectReason;
import io.sensorhub.common.readings.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The edge between RabbitMQ and the ingest: takes a batch of messages, parses them,
 * stores their valid readings in one transaction, dead-letters what cannot be accepted
 * (with confirms), and only then acknowledges the batch. Transient failures (outages, see
 * {@link TransientFailures}) are retried in place with exponential backoff, holding the
 * batch, until they pass. Any other failure is isolated to its message: the batch's
 * messages are processed one by one, each up to {@value #ATTEMPTS} times, and one that
 * fails every time is dead-lettered as {@code processing-failed}, so a poison message
 * never loops and never holds up the others. Both kinds of retrying are a
 * {@link Retrying}.
 * <p>
 * This count is the consumer's own, per message in hand, not the broker's delivery count:
 * redeliveries caused by restarts and hand-overs (which RabbitMQ counts too) never
 * dead-letter anything (see {@link IngestTopology}).
 * <p>
 * One per consumed queue ({@link PartitionConsumer}), hence a prototype: its state is
 * that queue's batch in flight and hand-over.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
class IngestListener {

    private static final Logger log = LoggerFactory.getLogger(IngestListener.class);

    /**
     * How often a message is tried on its own before a failure that is not an outage
     * dead-letters it.
     */
    static final int ATTEMPTS = 3;

    private final ReadingParser parser;

    private final ReadingIngestor ingestor;

    private final DeadLetterPublisher deadLetters;

    private final IngestMetrics metrics;

    private final IngestProperties properties;

    /** Each call that stores or dead-letters, retried while its failure is transient. */
    private final Retrying outages;

    /** A message on its own, after its batch failed for no transient reason. */
    private final Retrying alone;

    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * Held while a batch is processed, so a hand-over can wait for the batch in flight.
     */
    private final ReentrantLock inFlight = new ReentrantLock();

    private volatile Channel channel;

    private volatile boolean stopping;

    IngestListener(ReadingParser parser, ReadingIngestor ingestor, DeadLetterPublisher deadLetters,
            IngestMetrics metrics, IngestProperties properties) {
        this.parser = parser;
        this.ingestor = ingestor;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.properties = properties;
        this.outages = new Retrying(Retrying.WITHOUT_END, properties.retryInitialDelay(), properties.retryMaxDelay(),
                this::isTransient, (attempt, delay, failure) -> {
                    log.warn("Transient failure, retrying in {}: {}", delay, SafeText.printable(failure));
                    this.metrics.retried();
                });
        this.alone = new Retrying(ATTEMPTS, properties.retryInitialDelay(), properties.retryMaxDelay(),
                (failure) -> !this.stopping, (attempt, delay, failure) -> {
                    log.warn("Message failed on its own (attempt {} of {}): {}", attempt, ATTEMPTS,
                            SafeText.printable(failure));
                    log.debug("Failure of attempt {}", attempt, failure);
                });
    }

    /**
     * Processes a batch of messages delivered on {@code channel} and acknowledges it
     * (unless a hand-over began: the messages are then left to the broker, which returns
     * them in order when the channel closes).
     */
    void onMessageBatch(List<Message> messages, Channel channel) {
        this.inFlight.lock();
        try {
            if (!this.stopping) {
                this.channel = channel;
                processBatch(messages, channel);
            }
        }
        finally {
            this.inFlight.unlock();
        }
    }

    private void processBatch(List<Message> messages, Channel channel) {
        Instant started = Instant.now();
        try {
            process(messages);
            acknowledge(channel, messages.get(messages.size() - 1), true);
        }
        catch (RuntimeException ex) {
            if (this.stopping) {
                throw ex;
            }
            log.warn("Batch of {} messages failed ({}); processing its messages one by one", messages.size(),
                    SafeText.printable(ex));
            messages.forEach(message -> processAlone(message, channel));
        }
        this.metrics.processed(started);
    }

    /**
     * Hands the partition over to the next consumer without reordering readings: lets the
     * batch in flight finish (committed and acknowledged) for up to {@code grace}, then
     * interrupts {@code worker} (a batch held by an outage or a pause between retries is
     * given up unacknowledged), then closes the channel, so the broker returns the
     * unacknowledged messages to the head of the queue before anyone else consumes it. A
     * plain consumer cancel would not do: with single-active-consumer the broker would
     * activate a waiting consumer first and return the prefetched messages behind newer
     * ones.
     */
    void handOver(Thread worker, Duration grace) {
        this.stopping = true;
        boolean locked = false;
        try {
            locked = this.inFlight.tryLock(grace.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            log.info("Batch still in flight after {}: giving it up, it is redelivered to the next consumer", grace);
            worker.interrupt();
            this.inFlight.lock();
        }
        try {
            closePhysically(this.channel);
        }
        finally {
            this.inFlight.unlock();
        }
    }

    private static void closePhysically(Channel channel) {
        if (channel == null) {
            return;
        }
        Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
        try {
            target.abort();
        }
        catch (IOException | RuntimeException ex) {
            log.debug("Closing the channel on hand-over: {}", SafeText.printable(ex));
        }
    }

    private Void process(List<Message> messages) {
        List<DeadLetter> rejected = new ArrayList<>();
        Chunk chunk = new Chunk();
        int readings = 0;
        for (Message message : messages) {
            ParsedMessage parsed = this.parser.parse(message.getBody());
            chunk.add(parsed, message.getMessageProperties());
            readings += parsed.readings().size();
            parsed.rejections()
                .forEach(rejection -> rejected.add(new DeadLetter(rejection, message.getMessageProperties())));
            if (chunk.count >= this.properties.maxReadingsPerTransaction()) {
                store(chunk, rejected);
                chunk = new Chunk();
            }
        }
        store(chunk, rejected);
        this.metrics.batch(messages.size(), readings);
        retried(this.outages, () -> {
            this.deadLetters.publish(rejected);
            return null;
        });
        this.metrics.deadLettered(rejected.stream().map(deadLetter -> deadLetter.rejection().reason()).toList());
        return null;
    }

    /**
     * Stores a chunk of whole messages in one transaction; its unknown-sensor readings
     * join {@code rejected}.
     */
    private void store(Chunk chunk, List<DeadLetter> rejected) {
        ReadingIngestor.IngestResult result = retried(this.outages, () -> this.ingestor.ingest(chunk.readings));
        this.metrics.stored(result);
        result.unknownSensor()
            .forEach(reading -> rejected.add(new DeadLetter(unknownSensor(reading), chunk.sources.get(reading))));
    }

    /**
     * After a batch failed for no transient reason: the message on its own, up to
     * {@value #ATTEMPTS} times, then dead-lettered as {@code processing-failed};
     * acknowledged either way.
     */
    private void processAlone(Message message, Channel channel) {
        try {
            retried(this.alone, () -> process(List.of(message)));
        }
        catch (RuntimeException ex) {
            if (this.stopping) {
                throw ex;
            }
            log.debug("Failure of attempt {}", ATTEMPTS, ex);
            deadLetterFailed(message, channel, ex);
            return;
        }
        acknowledge(channel, message, false);
    }

    /**
     * Dead-letters a message that failed {@value #ATTEMPTS} times. Should even that be
     * refused for a reason that is not an outage, the message is rejected without
     * requeue, so the broker dead-letters it (with its own {@code x-death} header,
     * without ours): never lost, never looping.
     */
    private void deadLetterFailed(Message message, Channel channel, RuntimeException failure) {
        log.error("Message failed {} times for a reason that is not an outage; dead-lettering it: {}", ATTEMPTS,
                SafeText.printable(failure));
        Rejection rejection = new Rejection(RejectReason.PROCESSING_FAILED, failure.toString(), message.getBody());
        try {
            retried(this.outages, () -> {
                this.deadLetters.publish(List.of(new DeadLetter(rejection, message.getMessageProperties())));
                return null;
            });
        }
        catch (RuntimeException ex) {
            if (this.stopping) {
                throw ex;
            }
            log.error("Could not dead-letter the message ({}); rejecting it to the broker's dead-lettering",
                    SafeText.printable(ex));
            reject(channel, message);
            return;
        }
        this.metrics.deadLettered(List.of(RejectReason.PROCESSING_FAILED));
        acknowledge(channel, message, false);
    }

    private Rejection unknownSensor(Reading reading) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sensorId", reading.sensorId());
        fields.put("timestamp", reading.timestamp().toString());
        fields.put("value", reading.value());
        if (reading.reportedStatus() != null) {
            fields.put("status", reading.reportedStatus().name());
        }
        byte[] body = this.json.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
        return new Rejection(RejectReason.UNKNOWN_SENSOR,
                "sensor " + SafeText.quote(reading.sensorId(), 80) + " is not registered", body);
    }

    /**
     * Whether a failure is retried until it passes (unless we stop): when classified
     * transient, or when the database does not answer (an outage may surface as an
     * exception no classifier foresaw). Only a failure with the database up can be a
     * poison message.
     */
    private boolean isTransient(RuntimeException failure) {
        return !this.stopping && (TransientFailures.isTransient(failure) || !this.ingestor.databaseAnswers());
    }

    /**
     * Runs {@code work} as {@code retrying} says. Interrupted while waiting to retry, the
     * listener stops: the container is shutting down.
     */
    private <T> T retried(Retrying retrying, Supplier<T> work) {
        try {
            return retrying.call(work);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.stopping = true;
            throw new IllegalStateException("Interrupted while waiting to retry", ex);
        }
    }

    private void acknowledge(Channel channel, Message last, boolean multiple) {
        try {
            channel.basicAck(last.getMessageProperties().getDeliveryTag(), multiple);
        }
        catch (IOException | RuntimeException ex) {
            // The channel is gone: the broker redelivers the batch, which then stores
            // nothing twice.
            log.warn("Could not acknowledge (the messages will be redelivered): {}", SafeText.printable(ex));
        }
    }

    private void reject(Channel channel, Message message) {
        try {
            channel.basicReject(message.getMessageProperties().getDeliveryTag(), false);
        }
        catch (IOException | RuntimeException ex) {
            log.warn("Could not reject (the message will be redelivered): {}", SafeText.printable(ex));
        }
    }

    /** The readings of consecutive messages, per message, stored in one transaction. */
    private static final class Chunk {

        private final List<List<Reading>> readings = new ArrayList<>();

        private final Map<Reading, MessageProperties> sources = new HashMap<>();

        private int count;

        void add(ParsedMessage parsed, MessageProperties source) {
            this.readings.add(parsed.readings());
            parsed.readings().forEach(reading -> this.sources.putIfAbsent(reading, source));
            this.count += parsed.readings().size();
        }

    }

}
