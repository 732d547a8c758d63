package io.sensorhub.crud.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.BackgroundLoop;
import io.sensorhub.common.notify.Channels;
import io.sensorhub.common.notify.PostgresNotifications;
import io.sensorhub.crud.auth.ClientTokens;
import io.sensorhub.crud.web.ServiceBusyException;
import io.sensorhub.crud.web.TooManyRequestsException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * This instance's side of the live stream: one reader thread follows the log
 * ({@code client_events}) for every client, in id order, and offers each event to the
 * open streams ({@link Subscriber}s) of its client; offering never waits.
 * <p>
 * It reads when notifier-job announces new events ({@code NOTIFY} on
 * {@value Channels#CLIENT_EVENTS}, heard over a {@code LISTEN} connection of its own,
 * {@link PostgresNotifications}, which reconnects by itself), after every (re)connect,
 * and every {@code poll-interval} whatever happens: a lost notification delays events by
 * at most that. Each instance follows the log itself, so an event reaches the streams of
 * every instance.
 * <p>
 * Open streams are limited per client ({@code per-client}) and in all ({@code total}) on
 * this instance: a stream over either is refused with a 429.
 * <p>
 * A stream lives only as long as the token it was opened with: when a client's token is
 * replaced or the client deleted, its streams end ({@code stream.revoked}) as soon as
 * this instance hears of it ({@link ClientTokens#onTokenChanged}, on every instance), and
 * in any case within {@link #TOKEN_CHECK}: the reader also compares every open stream's
 * token with the client's current one that often, for a change it could not hear of.
 */
@Component
class EventHub extends BackgroundLoop {

    private static final int BATCH = 1000;

    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    /** How often every open stream's token is compared with its client's current one. */
    static final Duration TOKEN_CHECK = Duration.ofSeconds(15);

    /** A stream refused for a limit may try again this much later. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final ClientEventQueries queries;

    private final StreamProperties properties;

    private final PostgresNotifications notifications;

    private final Semaphore wakeups = new Semaphore(0);

    private final ClientTokens tokens;

    /** Clients whose token may have changed, to check at the reader's next turn. */
    private final Set<UUID> tokenChanges = ConcurrentHashMap.newKeySet();

    /** When the reader last compared every open stream's token (its own clock). */
    private long lastTokenCheck = System.nanoTime();

    /** The open streams by client; guarded by itself, as is {@link #position}. */
    private final Map<UUID, List<Subscriber>> subscribers = new HashMap<>();

    private int open;

    /**
     * The last id offered to the streams; -1 until the reader knows where the log ends.
     */
    private long position = -1;

    EventHub(ClientEventQueries queries, StreamProperties properties, DataSourceProperties dataSource,
            MeterRegistry registry, ClientTokens tokens) {
        super("event-stream-reader", "Reading the event stream's log", ERROR_BACKOFF);
        this.queries = queries;
        this.tokens = tokens;
        tokens.onTokenChanged(clientId -> {
            this.tokenChanges.add(clientId);
            wake();
        });
        this.properties = properties;
        this.notifications = new PostgresNotifications(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), "crud-service event stream", "event-stream-listener",
                List.of(Channels.CLIENT_EVENTS),
                new PostgresNotifications.Callbacks(this::wake, (channel, payload) -> wake(), () -> {
                }));
        Gauge.builder("sensorhub.stream.open", this, EventHub::open)
            .description("Open live event streams on this instance")
            .register(registry);
    }

    /**
     * Registers a stream of its client and starts it.
     * @throws TooManyRequestsException over a limit
     * @throws ServiceBusyException before the reader knows where the log ends (the
     * database was not reachable yet)
     */
    void register(Subscriber subscriber) {
        synchronized (this.subscribers) {
            if (this.position < 0) {
                throw new ServiceBusyException("The event stream is starting; try again shortly");
            }
            List<Subscriber> ofClient = this.subscribers.computeIfAbsent(subscriber.clientId(),
                    client -> new ArrayList<>());
            if (ofClient.size() >= this.properties.perClient()) {
                throw new TooManyRequestsException("You have " + ofClient.size()
                        + " open event streams here, the most allowed (" + this.properties.perClient() + ")",
                        RETRY_AFTER);
            }
            if (this.open >= this.properties.total()) {
                throw new TooManyRequestsException("This server has as many open event streams as it serves ("
                        + this.properties.total() + "); try again later", RETRY_AFTER);
            }
            ofClient.add(subscriber);
            this.open++;
            subscriber.startAfter(this.position);
        }
        subscriber.start();
    }

    /** Forgets a stream that ended. */
    void remove(Subscriber subscriber) {
        synchronized (this.subscribers) {
            List<Subscriber> ofClient = this.subscribers.get(subscriber.clientId());
            if (ofClient != null && ofClient.remove(subscriber)) {
                this.open--;
                if (ofClient.isEmpty()) {
                    this.subscribers.remove(subscriber.clientId());
                }
            }
        }
    }

    int open() {
        synchronized (this.subscribers) {
            return this.open;
        }
    }

    @Override
    public void start() {
        super.start();
        this.notifications.start();
    }

    /**
     * Ends every open stream (their clients resume with {@code Last-Event-ID}), before
     * the web server's graceful shutdown would wait for them.
     */
    @Override
    public void stop() {
        super.stop();
        this.notifications.stop();
        List<Subscriber> all = new ArrayList<>();
        synchronized (this.subscribers) {
            this.subscribers.values().forEach(all::addAll);
        }
        all.forEach(Subscriber::close);
    }

    private void wake() {
        this.wakeups.release();
    }

    @Override
    protected void turn() throws InterruptedException {
        readAll();
        checkTokens();
        this.wakeups.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        this.wakeups.drainPermits();
    }

    /** Reads and offers everything after the position, batch by batch. */
    private void readAll() {
        if (position() < 0) {
            long newest = this.queries.newest();
            synchronized (this.subscribers) {
                this.position = newest;
            }
        }
        List<StreamEvent> batch;
        do {
            batch = this.queries.after(position(), BATCH);
            for (StreamEvent event : batch) {
                offer(event);
            }
        }
        while (running() && batch.size() == BATCH);
    }

    /**
     * Ends the streams whose token no longer works: of the clients whose token changed
     * since the last turn, and of every client once {@link #TOKEN_CHECK} has passed.
     * Reads what is committed: a change heard before its commit is checked again when it
     * is heard after it.
     */
    private void checkTokens() {
        Set<UUID> clients = new HashSet<>();
        for (Iterator<UUID> changed = this.tokenChanges.iterator(); changed.hasNext();) {
            clients.add(changed.next());
            changed.remove();
        }
        long now = System.nanoTime();
        boolean all = now - this.lastTokenCheck >= TOKEN_CHECK.toNanos();
        synchronized (this.subscribers) {
            if (all) {
                clients.addAll(this.subscribers.keySet());
            }
            else {
                clients.retainAll(this.subscribers.keySet());
            }
        }
        if (all) {
            this.lastTokenCheck = now;
        }
        for (UUID client : clients) {
            byte[] current = this.tokens.currentHash(client).orElse(null);
            List<Subscriber> ofClient;
            synchronized (this.subscribers) {
                ofClient = new ArrayList<>(this.subscribers.getOrDefault(client, List.of()));
            }
            for (Subscriber subscriber : ofClient) {
                if (!subscriber.openedWithTokenHashed(current)) {
                    remove(subscriber);
                    subscriber.revoke();
                }
            }
        }
    }

    private long position() {
        synchronized (this.subscribers) {
            return this.position;
        }
    }

    /**
     * Offers one event to its client's streams, and moves the position past it, in one
     * step: a stream registered meanwhile starts either before it (and gets it) or after.
     */
    private void offer(StreamEvent event) {
        List<Subscriber> givenUp = null;
        synchronized (this.subscribers) {
            List<Subscriber> ofClient = this.subscribers.get(event.clientId());
            if (ofClient != null) {
                for (Subscriber subscriber : ofClient) {
                    if (!subscriber.offer(event)) {
                        givenUp = (givenUp != null) ? givenUp : new ArrayList<>();
                        givenUp.add(subscriber);
                    }
                }
            }
            this.position = event.id();
        }
        if (givenUp != null) {
            givenUp.forEach(this::remove);
        }
    }

}
