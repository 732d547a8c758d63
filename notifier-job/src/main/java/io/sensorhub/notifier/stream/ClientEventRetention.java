package io.sensorhub.notifier.stream;

import java.time.Duration;

import io.sensorhub.common.concurrent.BackgroundLoop;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes the live stream's events older than the retention, on a thread of its own,
 * every {@code prune-interval}: in batches of {@code prune-batch} rows, each its own
 * short transaction, oldest ids first, raising {@code client_events_pruned.up_to} to the
 * highest id deleted (crud-service tells a stream resuming below it that it may have
 * missed events). Several instances may prune at once: a row is deleted once, and the
 * mark only goes up.
 */
public class ClientEventRetention extends BackgroundLoop {

    private static final String PRUNE = """
            WITH deleted AS (
                DELETE FROM client_events e WHERE e.id IN (
                    SELECT o.id FROM client_events o WHERE o.created_at < now() - make_interval(secs => ?)
                    ORDER BY o.id LIMIT ?)
                RETURNING e.id),
            marked AS (
                UPDATE client_events_pruned SET up_to = greatest(up_to, (SELECT max(id) FROM deleted))
                WHERE EXISTS (SELECT 1 FROM deleted))
            SELECT count(*) FROM deleted""";

    private final JdbcClient jdbc;

    private final ClientEventLogProperties properties;

    public ClientEventRetention(JdbcClient jdbc, ClientEventLogProperties properties) {
        super("stream-retention", "Pruning the live stream's events", Duration.ofSeconds(5));
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Deletes one batch of events past the retention.
     * @return how many were deleted
     */
    public int pruneOnce() {
        return this.jdbc.sql(PRUNE)
            .params(this.properties.retention().toSeconds(), this.properties.pruneBatch())
            .query(Integer.class)
            .single();
    }

    @Override
    protected void turn() throws InterruptedException {
        while (running() && pruneOnce() == this.properties.pruneBatch()) {
            // a full batch: more may be due
        }
        Thread.sleep(this.properties.pruneInterval().toMillis());
    }

}
