package io.sensorhub.crud.stream;

import java.util.UUID;

import io.sensorhub.common.notify.Channels;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends an event to the live stream's log as notifier-job does: under the log's lock,
 * with the NOTIFY that crud-service instances listen for.
 */
final class StreamEventLog {

    private StreamEventLog() {
    }

    /** Appends it in a transaction of its own; answers its id. */
    static long append(JdbcClient jdbc, TransactionTemplate transactions, UUID clientId, String type, String body) {
        return transactions.execute(tx -> {
            jdbc.sql("SELECT sensorhub_client_events_lock()").query().listOfRows();
            long id = jdbc.sql("""
                    INSERT INTO client_events (client_id, event_id, event_type, body)
                    VALUES (?, gen_random_uuid(), ?, ?::jsonb) RETURNING id""")
                .params(clientId, type, body)
                .query(Long.class)
                .single();
            jdbc.sql("SELECT pg_notify(?, ?)").params(Channels.CLIENT_EVENTS, Long.toString(id)).query().listOfRows();
            return id;
        });
    }

}
