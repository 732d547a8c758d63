package io.sensorhub.crud.stream;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the live stream's log, {@code client_events} (migration V77), which notifier-job
 * writes; its ids become visible in id order, so "after the last id read" misses none.
 */
@Component
class ClientEventQueries {

    private static final RowMapper<StreamEvent> EVENT = (rows, n) -> new StreamEvent(rows.getLong("id"),
            rows.getObject("client_id", UUID.class), rows.getString("event_type"), rows.getString("body"));

    private final JdbcClient jdbc;

    ClientEventQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every client's events after an id, in id order. */
    List<StreamEvent> after(long id, int limit) {
        return this.jdbc.sql("""
                SELECT id, client_id, event_type, body::text AS body FROM client_events
                WHERE id > ? ORDER BY id LIMIT ?""").params(id, limit).query(EVENT).list();
    }

    /** One client's events after an id, in id order. */
    List<StreamEvent> after(UUID clientId, long id, int limit) {
        return this.jdbc.sql("""
                SELECT id, client_id, event_type, body::text AS body FROM client_events
                WHERE client_id = ? AND id > ? ORDER BY id LIMIT ?""").params(clientId, id, limit).query(EVENT).list();
    }

    /**
     * The highest id given out so far, as far as anyone could have received it: the
     * newest kept, or the highest deleted by retention.
     */
    long newest() {
        return this.jdbc.sql("""
                SELECT greatest((SELECT coalesce(max(id), 0) FROM client_events),
                                (SELECT up_to FROM client_events_pruned))""").query(Long.class).single();
    }

    /**
     * The highest id retention has deleted: a stream resuming after a smaller one may
     * have missed events.
     */
    long prunedUpTo() {
        return this.jdbc.sql("SELECT up_to FROM client_events_pruned").query(Long.class).single();
    }

}
