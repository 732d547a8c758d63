package io.sensorhub.notifier.stream;

import java.time.Duration;

import io.sensorhub.common.concurrent.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes the live stream's events older than the retention, on a thread of its own,
 * every {@code prune-interval}: in batches of {@code prune-batch} rows, each its own
 * short transaction, oldest ids first, raising {@code client_events_pruned.up_to} to the
 * highest id deleted (crud-service tells a stream resuming below it that it may have
 * missed events). Several instances may prune at once: a row is deleted once, and the
 * mark only goes up.
 */
public class ClientEventRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClientEventRetention.class);

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

    private volatile boolean running;

    private volatile Thread thread;

    public ClientEventRetention(JdbcClient jdbc, ClientEventLogProperties properties) {
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
    public void start() {
        this.running = true;
        this.thread = Threads.start("stream-retention", this::run);
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.thread != null) {
            this.thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private void run() {
        while (this.running) {
            try {
                while (this.running && pruneOnce() == this.properties.pruneBatch()) {
                    // a full batch: more may be due
                }
                sleep(this.properties.pruneInterval());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (!this.running) {
                    return;
                }
                log.warn("Pruning the live stream's events failed, retrying: {}", ex.toString());
                try {
                    sleep(Duration.ofSeconds(5));
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

}
