package io.sensorhub.common.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The types of the events SensorHub POSTs to webhooks (docs/api.md, event types), each by
 * its name in a body's {@code type}. The schema spells the same names out in the checks
 * of {@code webhooks.event_types} and {@code webhook_deliveries.event_type} (migration
 * V76), and notifier-job's SQL in the statements that pick the webhooks of an event.
 */
public enum EventType {

    /** A sensor's status changed. */
    STATUS_CHANGED("sensor.status_changed"),

    /** A CRITICAL, FAULT or OFFLINE status lasts, unacknowledged. */
    STATUS_REMINDER("sensor.status_reminder"),

    /** Another webhook's attempts keep failing. */
    WEBHOOK_FAILING("webhook.failing"),

    /** SensorHub disabled another webhook. */
    WEBHOOK_DISABLED("webhook.disabled"),

    /** Another webhook, reported failing, succeeded again. */
    WEBHOOK_RECOVERED("webhook.recovered"),

    /** Sent to a webhook when its client asks for a test. */
    WEBHOOK_TEST("webhook.test");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in a body's {@code type} and in a webhook's {@code eventTypes}. */
    public String wireName() {
        return this.wireName;
    }

    /** The type of this name, if it is one. */
    public static Optional<EventType> of(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }

}
