package io.sensorhub.consumer.ingest;

import java.util.List;

import io.sensorhub.common.logging.Correlation;
import io.sensorhub.common.logging.SafeText;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.readings.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves rejected messages and readings to the dead-letter queue with headers saying why
 * ({@value ReadingTopology#ERROR_HEADER}, {@value ReadingTopology#REASON_HEADER},
 * {@value ReadingTopology#ROUTING_KEY_HEADER}) and waits for the broker's publisher
 * confirms, so the original may be acknowledged only once its dead letter is safe
 * (at-least-once dead-lettering; the broker cannot add a header of ours when it
 * dead-letters).
 */
@Component
class DeadLetterPublisher {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final RabbitTemplate rabbit;

    private final AmqpProperties names;

    private final IngestProperties properties;

    DeadLetterPublisher(RabbitTemplate rabbit, AmqpProperties names, IngestProperties properties) {
        this.rabbit = rabbit;
        this.names = names;
        this.properties = properties;
    }

    /**
     * Publishes these dead letters and waits for all of them to be confirmed; throws if
     * they are not.
     */
    void publish(List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        this.rabbit.invoke(operations -> {
            for (DeadLetter deadLetter : deadLetters) {
                operations.send("", this.names.deadQueue(), message(deadLetter));
            }
            operations.waitForConfirmsOrDie(this.properties.confirmTimeout().toMillis());
            return null;
        });
        deadLetters.forEach(DeadLetterPublisher::log);
    }

    /**
     * One line per dead letter, under the message's id (its correlation id) when the
     * publisher set one that is safe to log; the id, the routing key and the header come
     * from outside, so they are escaped and cut.
     */
    private static void log(DeadLetter deadLetter) {
        String messageId = deadLetter.source().getMessageId();
        try (MDC.MDCCloseable scope = (messageId != null) ? Correlation.open(Correlation.acceptOrCreate(messageId))
                : null) {
            log.info("Dead-lettered a reading of message {} (routing key {}): {}", SafeText.quote(messageId),
                    SafeText.quote(deadLetter.source().getReceivedRoutingKey()),
                    SafeText.printable(deadLetter.rejection().header(), 2 * SafeText.LOG_LENGTH));
        }
    }

    private static Message message(DeadLetter deadLetter) {
        Rejection rejection = deadLetter.rejection();
        MessageProperties source = deadLetter.source();
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding("UTF-8");
        properties.setMessageId(source.getMessageId());
        properties.setTimestamp(source.getTimestamp());
        properties.setAppId(source.getAppId());
        properties.setHeader(ReadingTopology.ERROR_HEADER, rejection.header());
        properties.setHeader(ReadingTopology.REASON_HEADER, rejection.reason().code());
        properties.setHeader(ReadingTopology.ROUTING_KEY_HEADER, source.getReceivedRoutingKey());
        return new Message(rejection.body(), properties);
    }

}
