package io.sensorhub.notifier.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.notifier.support.NotifierIntegrationTest;
import io.sensorhub.notifier.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live stream's ids become visible in id order: many writers append through
 * {@link ClientEventLog} at once, each holding its transaction open a little after the
 * insert (a slow commit), while a reader keeps resuming after the last id it saw, as a
 * stream does. It must see every id exactly once, in order: without the writers' lock, a
 * row whose id was drawn before a smaller one committed would be skipped.
 */
@NotifierIntegrationTest
class ClientEventOrderIntegrationTest {

    private static final int WRITERS = 8;

    private static final int APPENDS_PER_WRITER = 40;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private TestData data;

    @AfterEach
    void cleanUp() {
        this.data.cleanUp();
    }

    @Test
    void aReaderResumingAfterTheLastIdItSawMissesNoneOfManyConcurrentWriters() throws Exception {
        UUID client = this.data.clientId();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int n = 0; n < WRITERS; n++) {
            int w = n;
            writers.add(Threads.start("writer-" + w, () -> {
                for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                    this.transactions.executeWithoutResult(tx -> {
                        String events = "[" + event(client) + "," + event(client) + "]";
                        ClientEventLog.append(this.jdbc, events);
                        // a slow commit: the transaction stays open after its insert
                        sleep(ThreadLocalRandom.current().nextInt(3));
                    });
                }
            }));
        }
        List<Long> seen = new ArrayList<>();
        Thread reader = Threads.start("reader", () -> {
            long last = 0;
            boolean lastRound = false;
            while (true) {
                boolean finished = !writing.get();
                List<Long> ids = this.jdbc
                    .sql("SELECT id FROM client_events WHERE client_id = ? AND id > ? ORDER BY id")
                    .params(client, last)
                    .query(Long.class)
                    .list();
                seen.addAll(ids);
                if (!ids.isEmpty()) {
                    last = ids.get(ids.size() - 1);
                }
                if (lastRound) {
                    return;
                }
                lastRound = finished;
            }
        });
        for (Thread writer : writers) {
            writer.join();
        }
        writing.set(false);
        reader.join();

        List<Long> all = this.jdbc.sql("SELECT id FROM client_events WHERE client_id = ? ORDER BY id")
            .param(client)
            .query(Long.class)
            .list();
        assertThat(all).hasSize(WRITERS * APPENDS_PER_WRITER * 2);
        assertThat(seen).as("every id exactly once, in order").isEqualTo(all);
    }

    private static String event(UUID client) {
        return "{\"client_id\": \"%s\", \"event_id\": \"%s\", \"event_type\": \"webhook.failing\", \"body\": {}}"
            .formatted(client, UUID.randomUUID());
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
