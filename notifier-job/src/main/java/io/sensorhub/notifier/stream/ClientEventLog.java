package io.sensorhub.notifier.stream;

import io.sensorhub.common.notify.Channels;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Appends events to the live stream's log, {@code client_events} (migration V77), in the
 * transaction that turns them into deliveries: what a webhook is sent and what a stream
 * shows are committed together, or not at all.
 * <p>
 * A stream resumes after the last id it received, so ids must become visible in id order.
 * {@link #append} takes the one advisory lock of every writer
 * ({@code sensorhub_client_events_lock()}) and then inserts: it must be the last
 * statement of its transaction, so the lock is held only until that commit, and the next
 * writer draws its ids after it. The {@code NOTIFY} on {@value Channels#CLIENT_EVENTS}
 * (the newest id) is delivered at that commit.
 */
public final class ClientEventLog {

    /**
     * An SQL expression of one event for {@link #append}, to aggregate with
     * {@code jsonb_agg(... ORDER BY ...)}: the order of the array is the order of the
     * ids.
     */
    public static String event(String clientId, String eventId, String eventType, String body) {
        return "jsonb_build_object('client_id', %s, 'event_id', %s, 'event_type', %s, 'body', %s)".formatted(clientId,
                eventId, eventType, body);
    }

    private static final String APPEND = """
            WITH appended AS (
                INSERT INTO client_events (client_id, event_id, event_type, body)
                SELECT (e.value ->> 'client_id')::uuid, (e.value ->> 'event_id')::uuid, e.value ->> 'event_type',
                       e.value -> 'body'
                FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS e(value, n)
                ORDER BY e.n
                ON CONFLICT (client_id, event_id) DO NOTHING
                RETURNING id)
            SELECT pg_notify(?, max(id)::text) FROM appended HAVING count(*) > 0""";

    private ClientEventLog() {
    }

    /**
     * Appends the events, if any; call as the last statement of the transaction that made
     * them.
     * @param events a JSON array of {@link #event}s, or {@code null} for none
     */
    public static void append(JdbcClient jdbc, String events) {
        if (events == null || events.equals("[]")) {
            return;
        }
        jdbc.sql("SELECT sensorhub_client_events_lock()").query().listOfRows();
        jdbc.sql(APPEND).params(events, Channels.CLIENT_EVENTS).query().listOfRows();
    }

}
