package io.sensorhub.common.notify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import io.sensorhub.common.concurrent.Threads;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN}s on some channels over a dedicated connection (outside any pool, which
 * would recycle it), on a daemon thread of its own, and hands every notification to
 * {@link Callbacks#notification}.
 * <p>
 * A broken connection, or one that no longer answers {@link Connection#isValid} (checked
 * every {@value #VALIDATE_EVERY_SECONDS} s, so a half-dead one is noticed), is re-opened
 * with exponential backoff (100 ms doubling up to 5 s, back to 100 ms once connected).
 * Notifications sent while disconnected are lost: {@link Callbacks#connected} runs after
 * each (re)connect, once the channels are listened to, and {@link Callbacks#disconnected}
 * once after each such connection ends (lost, or closed by {@link #stop}). All callbacks
 * run on the listening thread; one that throws counts as a broken connection.
 * <p>
 * Start and stop fit a {@code SmartLifecycle}: {@link #stop} returns at once and the
 * thread ends within about half a second. A {@link #start} right after a stop first lets
 * the old thread end (waiting up to {@value #HANDOVER_SECONDS} s); an old thread still
 * running then ends without reporting anything, so there is never more than one listener
 * reporting. The connection carries {@code ApplicationName} (visible in
 * {@code pg_stat_activity}) and {@code tcpKeepAlive}.
 */
public final class PostgresNotifications {

    /** What the listening thread reports. */
    public record Callbacks(Runnable connected, BiConsumer<String, String> notification, Runnable disconnected) {

        public Callbacks {
            Objects.requireNonNull(connected, "connected");
            Objects.requireNonNull(notification, "notification");
            Objects.requireNonNull(disconnected, "disconnected");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);

    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]*");

    private static final int POLL_MILLIS = 500;

    private static final long VALIDATE_EVERY_SECONDS = 10;

    private static final int VALID_TIMEOUT_SECONDS = 2;

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final long HANDOVER_SECONDS = 2;

    private final String url;

    private final Properties properties;

    private final String applicationName;

    private final String threadName;

    private final List<String> channels;

    private final Callbacks callbacks;

    private volatile boolean running;

    private volatile boolean connected;

    /**
     * Bumped by every {@link #start}: only the listening thread started with the current
     * value may report; an older one notices it is not current and ends.
     */
    private volatile long generation;

    /** The latest listening thread, to interrupt and to wait for. */
    private volatile Thread thread;

    /**
     * @param url the JDBC url of the database to listen to
     * @param user the user, or {@code null} for the driver's default
     * @param password the password, or {@code null}
     * @param applicationName the connection's {@code ApplicationName}
     * @param threadName the listening thread's name
     * @param channels the channels, each a lower-case unquoted identifier
     * @param callbacks what to tell about the connection and its notifications
     * @throws IllegalArgumentException if there are no channels or one is not a plain
     * identifier
     */
    public PostgresNotifications(String url, String user, String password, String applicationName, String threadName,
            List<String> channels, Callbacks callbacks) {
        if (channels.isEmpty() || !channels.stream().allMatch(channel -> CHANNEL.matcher(channel).matches())) {
            throw new IllegalArgumentException("Channels must be plain lower-case identifiers: " + channels);
        }
        this.url = url;
        this.properties = new Properties();
        if (user != null) {
            this.properties.setProperty("user", user);
        }
        if (password != null) {
            this.properties.setProperty("password", password);
        }
        this.properties.setProperty("ApplicationName", applicationName);
        this.properties.setProperty("tcpKeepAlive", "true");
        this.applicationName = applicationName;
        this.threadName = threadName;
        this.channels = List.copyOf(channels);
        this.callbacks = callbacks;
    }

    /** Whether the channels are being listened to right now. */
    public boolean connected() {
        return this.connected;
    }

    /** Starts the listening thread, which connects at once. */
    public synchronized void start() {
        Thread previous = this.thread;
        if (previous != null) {
            previous.interrupt();
            try {
                previous.join(Duration.ofSeconds(HANDOVER_SECONDS).toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        long current = ++this.generation;
        this.running = true;
        this.thread = Threads.start(this.threadName, () -> run(current));
    }

    /**
     * Asks the listening thread to close its connection and end; does not wait for it.
     */
    public synchronized void stop() {
        this.running = false;
        if (this.thread != null) {
            this.thread.interrupt();
        }
    }

    /** Between {@link #start} and {@link #stop}. */
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Whether the listening thread of this generation is the current one and should go
     * on.
     */
    private boolean listening(long generation) {
        return this.running && this.generation == generation;
    }

    private void run(long generation) {
        Duration backoff = FIRST_BACKOFF;
        while (listening(generation)) {
            try (Connection connection = DriverManager.getConnection(this.url, this.properties)) {
                listen(connection, generation);
                backoff = FIRST_BACKOFF;
                receive(connection, generation);
            }
            catch (SQLException | RuntimeException ex) {
                if (listening(generation)) {
                    log.warn("{}: LISTEN connection lost ({}); reconnecting in {} ms", this.applicationName,
                            ex.getMessage(), backoff.toMillis());
                }
            }
            finally {
                disconnected(generation);
            }
            if (listening(generation)) {
                sleep(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    private void listen(Connection connection, long generation) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String channel : this.channels) {
                statement.execute("LISTEN " + channel);
            }
        }
        if (!listening(generation)) {
            throw new SQLException("a newer listener took over");
        }
        this.connected = true;
        this.callbacks.connected().run();
    }

    private void receive(Connection connection, long generation) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long validatedAt = System.nanoTime();
        while (listening(generation)) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    this.callbacks.notification().accept(notification.getName(), notification.getParameter());
                }
            }
            if (System.nanoTime() - validatedAt > Duration.ofSeconds(VALIDATE_EVERY_SECONDS).toNanos()) {
                if (!connection.isValid(VALID_TIMEOUT_SECONDS)) {
                    throw new SQLException("the LISTEN connection is no longer valid");
                }
                validatedAt = System.nanoTime();
            }
        }
    }

    private void disconnected(long generation) {
        if (!this.connected || this.generation != generation) {
            return;
        }
        this.connected = false;
        try {
            this.callbacks.disconnected().run();
        }
        catch (RuntimeException ex) {
            log.warn("{}: handling the lost LISTEN connection failed", this.applicationName, ex);
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

}
