package io.sensorhub.consumer.ingest;

import io.sensorhub.common.readings.Rejection;
import org.springframework.amqp.core.MessageProperties;

/**
 * A rejection to dead-letter, with the properties of the message it came from.
 *
 * @param rejection what is rejected and why
 * @param source the properties of the original message
 */
record DeadLetter(Rejection rejection, MessageProperties source) {
}
