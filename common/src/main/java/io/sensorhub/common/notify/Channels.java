package io.sensorhub.common.notify;

/**
 * The PostgreSQL {@code NOTIFY} channels SensorHub's processes signal each other on, each
 * named here once: whoever notifies and whoever {@code LISTEN}s (tests included) read the
 * name from here. Each is a plain lower-case identifier, as {@link PostgresNotifications}
 * requires.
 */
public final class Channels {

    /**
     * New status changes wait in the outbox: notified by whoever records them
     * ({@code StatusChangeRecorder}: sensor-consumer's ingest and OFFLINE watchdog), and
     * by notifier-job when it queues events about webhooks in their outbox; heard by
     * notifier-job's fan-out.
     */
    public static final String STATUS_CHANGES = "sensorhub_status_changes";

    /**
     * Deliveries may have become due: notified by crud-service when it redelivers or
     * recovers deliveries, by notifier-job's reminders when they add or withdraw some,
     * and by the database itself, whose trigger functions
     * {@code sensorhub_delivery_revived} and {@code sensorhub_webhook_reenabled}
     * (migration {@code V30__webhook_delivery_revival.sql}) write this name as a literal;
     * heard by notifier-job's delivery loop.
     */
    public static final String DELIVERIES = "sensorhub_deliveries";

    /**
     * A silence was created or deleted (deleting one ends it now): notified by
     * crud-service, heard by notifier-job, which then sends the catch-up of every sensor
     * no silence holds back any more and works out when the next silence ends.
     */
    public static final String SILENCES = "sensorhub_silences";

    /**
     * A client, sensor or webhook changed: notified by the crud-service instance that
     * changed it, heard by every crud-service instance, which evicts it from its local
     * caches. The payload is {@code <kind>:<key>}.
     */
    public static final String CRUD_CACHE = "sensorhub_crud_cache";

    /**
     * New rows in the live stream's log, {@code client_events}: notified by notifier-job
     * in the transaction that appends them (the payload is the newest id), heard by every
     * crud-service instance, which reads the new rows and streams them.
     */
    public static final String CLIENT_EVENTS = "sensorhub_client_events";

    private Channels() {
    }

}
