package io.sensorhub.common.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sensorhub.common.readings.ReadingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The one way integration tests of every module reach real PostgreSQL, RabbitMQ and
 * Redis.
 * <p>
 * Where: the servers on localhost's standard ports when
 * {@code SENSORHUB_TEST_SERVICES=local} or when Docker is not available (as on the
 * development and CI machines); otherwise containers started once per JVM with
 * Testcontainers. Connection details are handed to Spring as ordinary properties (see
 * {@link TestServicesContextCustomizerFactory}) and to non-Spring code (a spawned service
 * jar, a raw AMQP publisher) through the accessors here, so both see the same isolated
 * resources.
 * <p>
 * Isolation, per test JVM (one per module run): a fresh PostgreSQL database
 * {@code sensorhub_test_<epoch>_<hex>}, a fresh RabbitMQ virtual host of the same name
 * (created through the management HTTP API on port 15672; when that API is not reachable,
 * the default virtual host with every SensorHub exchange and queue name prefixed by
 * {@link #amqpPrefix()} instead), and a Redis key prefix of the same name. All of them
 * are removed when the JVM exits; leftovers of runs killed more than six hours ago are
 * removed at start.
 * <p>
 * MQTT: RabbitMQ's MQTT plugin on the broker's host, port {@link #mqttPort()} (locally
 * {@value #MQTT_PORT_PROPERTY} or {@code SENSORHUB_TEST_MQTT_PORT}, default
 * {@value #DEFAULT_MQTT_PORT}: 1883 is often held by another MQTT broker; {@code .ci/run}
 * sets the plugin up there). Tests that need it are skipped where nothing listens
 * ({@link #mqttListening()}).
 */
public final class TestServices {

    private static final Logger log = LoggerFactory.getLogger(TestServices.class);

    private static final String NAME_PREFIX = "sensorhub_test_";

    private static final Pattern STALE_NAME = Pattern.compile(NAME_PREFIX + "(\\d+)_[0-9a-f]+");

    private static final Duration STALE_AFTER = Duration.ofHours(6);

    /** The system property that sets the local MQTT port. */
    public static final String MQTT_PORT_PROPERTY = "sensorhub.test.mqtt-port";

    /** The local MQTT port unless set otherwise. */
    public static final int DEFAULT_MQTT_PORT = 1884;

    private static volatile TestServices instance;

    private final String name;

    private final String pgHost;

    private final int pgPort;

    private final String pgUser;

    private final String pgPassword;

    private final String amqpHost;

    private final int amqpPort;

    private final String amqpUser;

    private final String amqpPassword;

    private final URI rabbitManagement;

    private final int mqttPort;

    private final String redisHost;

    private final int redisPort;

    private final boolean ownVirtualHost;

    private TestServices(Endpoints endpoints) {
        this.name = NAME_PREFIX + Instant.now().getEpochSecond() + "_" + randomHex();
        this.pgHost = endpoints.pgHost;
        this.pgPort = endpoints.pgPort;
        this.pgUser = endpoints.pgUser;
        this.pgPassword = endpoints.pgPassword;
        this.amqpHost = endpoints.amqpHost;
        this.amqpPort = endpoints.amqpPort;
        this.amqpUser = endpoints.amqpUser;
        this.amqpPassword = endpoints.amqpPassword;
        this.rabbitManagement = endpoints.rabbitManagement;
        this.mqttPort = endpoints.mqttPort;
        this.redisHost = endpoints.redisHost;
        this.redisPort = endpoints.redisPort;
        removeStaleLeftovers();
        createDatabase();
        this.ownVirtualHost = createVirtualHost();
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "sensorhub-test-cleanup"));
        log.info("Test services ({}): database and {} '{}', Redis key prefix '{}'", endpoints.mode,
                this.ownVirtualHost ? "virtual host" : "AMQP name prefix", this.name, redisKeyPrefix());
    }

    /** The services of this JVM, created on first use. */
    public static TestServices get() {
        TestServices current = instance;
        if (current == null) {
            synchronized (TestServices.class) {
                current = instance;
                if (current == null) {
                    current = new TestServices(Endpoints.choose());
                    instance = current;
                }
            }
        }
        return current;
    }

    /** The unique name of this run's database, virtual host and key prefix. */
    public String name() {
        return this.name;
    }

    public String postgresHost() {
        return this.pgHost;
    }

    public int postgresPort() {
        return this.pgPort;
    }

    public String jdbcUrl() {
        return jdbcUrl(this.name);
    }

    public String jdbcUser() {
        return this.pgUser;
    }

    public String jdbcPassword() {
        return this.pgPassword;
    }

    public String amqpHost() {
        return this.amqpHost;
    }

    public int amqpPort() {
        return this.amqpPort;
    }

    public String amqpUser() {
        return this.amqpUser;
    }

    public String amqpPassword() {
        return this.amqpPassword;
    }

    /**
     * The virtual host of this run: its own when the management API could create one,
     * else "/".
     */
    public String amqpVirtualHost() {
        return this.ownVirtualHost ? this.name : "/";
    }

    /**
     * Prefix for SensorHub's exchange and queue names: empty when this run has its own
     * virtual host.
     */
    public String amqpPrefix() {
        return this.ownVirtualHost ? "" : this.name + ".";
    }

    /**
     * The port of RabbitMQ's MQTT plugin, on {@link #amqpHost()}; see
     * {@link #mqttListening()}.
     */
    public int mqttPort() {
        return this.mqttPort;
    }

    /** The MQTT server URI for a client such as Eclipse Paho. */
    public String mqttUri() {
        return "tcp://" + this.amqpHost + ":" + this.mqttPort;
    }

    /**
     * The MQTT user name that selects this run's virtual host ({@code vhost:user}); the
     * password is {@link #amqpPassword()}.
     */
    public String mqttUserName() {
        return amqpVirtualHost() + ":" + this.amqpUser;
    }

    /**
     * The topic a device publishes this sensor's readings to in this run:
     * {@code sensorhub/readings/<sensorId>}, after the {@link #amqpPrefix() AMQP prefix}
     * with its dots as slashes, which the MQTT plugin turns back into dots.
     */
    public String mqttTopic(String sensorId) {
        return amqpPrefix().replace('.', '/') + ReadingTopology.MQTT_TOPIC_PREFIX + sensorId;
    }

    /** Whether something listens on {@link #mqttPort()}; MQTT tests assume it. */
    public boolean mqttListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(this.amqpHost, this.mqttPort), 2000);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    public String redisHost() {
        return this.redisHost;
    }

    public int redisPort() {
        return this.redisPort;
    }

    public String redisKeyPrefix() {
        return this.name + ":";
    }

    /** A JDBC connection to this run's database, for tests that check what was stored. */
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), this.pgUser, this.pgPassword);
    }

    /** The Spring Boot properties that point a service at this run's resources. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl());
        properties.put("spring.datasource.username", this.pgUser);
        properties.put("spring.datasource.password", this.pgPassword);
        properties.put("spring.rabbitmq.host", this.amqpHost);
        properties.put("spring.rabbitmq.port", Integer.toString(this.amqpPort));
        properties.put("spring.rabbitmq.username", this.amqpUser);
        properties.put("spring.rabbitmq.password", this.amqpPassword);
        properties.put("spring.rabbitmq.virtual-host", amqpVirtualHost());
        properties.put("sensorhub.amqp.prefix", amqpPrefix());
        properties.put("spring.data.redis.host", this.redisHost);
        properties.put("spring.data.redis.port", Integer.toString(this.redisPort));
        properties.put("sensorhub.redis.key-prefix", redisKeyPrefix());
        // The services answer from PostgreSQL when Redis takes over 500 ms; on a busy CI
        // machine even the connection handshake can, which would fail a test that talks
        // to Redis itself. Outage tests cut the connection (refused at once) or set their
        // own timeouts.
        properties.put("spring.data.redis.timeout", "5s");
        properties.put("spring.data.redis.connect-timeout", "5s");
        // Each cached test context keeps a pool: hold few idle connections, so the
        // modules' test runs together stay far below PostgreSQL's max_connections.
        properties.put("spring.datasource.hikari.minimum-idle", "1");
        properties.put("spring.datasource.hikari.idle-timeout", "10000");
        return properties;
    }

    /**
     * {@link #springProperties()} as command-line arguments for a service started as its
     * own JVM.
     */
    public List<String> springArguments() {
        List<String> arguments = new ArrayList<>();
        springProperties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + this.pgHost + ":" + this.pgPort + "/" + database;
    }

    private Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), this.pgUser, this.pgPassword);
    }

    private void createDatabase() {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + this.name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create the test database on " + this.pgHost + ":" + this.pgPort,
                    ex);
        }
    }

    private boolean createVirtualHost() {
        try {
            send("PUT", "/api/vhosts/" + this.name, "{}");
            send("PUT", "/api/permissions/" + this.name + "/" + this.amqpUser,
                    "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
            return true;
        }
        catch (IOException ex) {
            log.warn("RabbitMQ management API not reachable ({}); isolating by AMQP name prefix instead",
                    ex.getMessage());
            return false;
        }
    }

    private void cleanUp() {
        dropDatabase(this.name);
        if (this.ownVirtualHost) {
            deleteVirtualHost(this.name);
        }
        deleteRedisKeys(redisKeyPrefix());
    }

    private void removeStaleLeftovers() {
        try (Connection connection = adminConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement
                    .executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + NAME_PREFIX + "%'")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            names.stream().filter(TestServices::isStale).forEach(stale -> {
                dropDatabase(stale);
                deleteVirtualHost(stale);
                deleteRedisKeys(stale + ":");
            });
        }
        catch (SQLException ex) {
            log.warn("Could not look for stale test databases: {}", ex.getMessage());
        }
    }

    private static boolean isStale(String name) {
        Matcher matcher = STALE_NAME.matcher(name);
        return matcher.matches()
                && Instant.ofEpochSecond(Long.parseLong(matcher.group(1))).isBefore(Instant.now().minus(STALE_AFTER));
    }

    private void dropDatabase(String database) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        catch (SQLException ex) {
            log.warn("Could not drop test database {}: {}", database, ex.getMessage());
        }
    }

    private void deleteVirtualHost(String vhost) {
        try {
            send("DELETE", "/api/vhosts/" + vhost, null);
        }
        catch (IOException ex) {
            log.debug("No virtual host {} deleted: {}", vhost, ex.getMessage());
        }
    }

    private void deleteRedisKeys(String prefix) {
        RedisClient client = RedisClient.create(RedisURI.create(this.redisHost, this.redisPort));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = connection.sync()
                    .scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    connection.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            }
            while (!cursor.isFinished());
        }
        catch (RuntimeException ex) {
            log.warn("Could not delete Redis keys {}*: {}", prefix, ex.getMessage());
        }
        finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * The answer of RabbitMQ's management API to {@code GET path} (e.g.
     * {@code /api/consumers/<vhost>}), for tests that check what the broker sees.
     */
    public String rabbitManagementGet(String path) throws IOException {
        return send("GET", path, null);
    }

    private String send(String method, String path, String body) throws IOException {
        String credentials = Base64.getEncoder()
            .encodeToString((this.amqpUser + ":" + this.amqpPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(this.rabbitManagement.resolve(path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Basic " + credentials)
            .header("Content-Type", "application/json")
            .method(method,
                    (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
            .build();
        try {
            // HTTP/1.1: the JDK client's default h2c upgrade is answered by RabbitMQ's
            // web server with a dropped connection.
            HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300 && !(method.equals("DELETE") && response.statusCode() == 404)) {
                throw new IOException(method + " " + path + " answered " + response.statusCode());
            }
            return response.body();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Where the three servers are: localhost's standard ports, or containers of this JVM.
     */
    private record Endpoints(String mode, String pgHost, int pgPort, String pgUser, String pgPassword, String amqpHost,
            int amqpPort, String amqpUser, String amqpPassword, URI rabbitManagement, int mqttPort, String redisHost,
            int redisPort) {

        /** The image's plugins plus the consistent-hash exchange and MQTT. */
        private static final String CONTAINER_PLUGINS = "[rabbitmq_management,rabbitmq_prometheus,"
                + "rabbitmq_consistent_hash_exchange,rabbitmq_mqtt].";

        private static final int CONTAINER_MQTT_PORT = 1883;

        static Endpoints choose() {
            String requested = System.getenv().getOrDefault("SENSORHUB_TEST_SERVICES", "");
            if (requested.equals("local") || (!requested.equals("containers") && !dockerAvailable())) {
                return local();
            }
            return containers();
        }

        static Endpoints local() {
            requireListening("PostgreSQL", 5432);
            requireListening("RabbitMQ", 5672);
            requireListening("Redis", 6379);
            return new Endpoints("local servers", "127.0.0.1", 5432, "postgres", "", "127.0.0.1", 5672, "guest",
                    "guest", URI.create("http://127.0.0.1:15672"), localMqttPort(), "127.0.0.1", 6379);
        }

        private static int localMqttPort() {
            String port = System.getProperty(MQTT_PORT_PROPERTY, System.getenv("SENSORHUB_TEST_MQTT_PORT"));
            return (port != null && !port.isBlank()) ? Integer.parseInt(port.trim()) : DEFAULT_MQTT_PORT;
        }

        @SuppressWarnings("resource") // the containers live as long as the JVM;
                                      // Testcontainers reaps them
        static Endpoints containers() {
            PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine");
            RabbitMQContainer rabbit = new RabbitMQContainer("rabbitmq:3.13-management-alpine")
                .withCopyToContainer(Transferable.of(CONTAINER_PLUGINS), "/etc/rabbitmq/enabled_plugins");
            rabbit.addExposedPort(CONTAINER_MQTT_PORT);
            GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            postgres.start();
            rabbit.start();
            redis.start();
            return new Endpoints("Testcontainers", postgres.getHost(), postgres.getMappedPort(5432),
                    postgres.getUsername(), postgres.getPassword(), rabbit.getHost(), rabbit.getAmqpPort(),
                    rabbit.getAdminUsername(), rabbit.getAdminPassword(), URI.create(rabbit.getHttpUrl()),
                    rabbit.getMappedPort(CONTAINER_MQTT_PORT), redis.getHost(), redis.getMappedPort(6379));
        }

        private static boolean dockerAvailable() {
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            }
            catch (RuntimeException | LinkageError ex) {
                return false;
            }
        }

        private static void requireListening(String server, int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            catch (IOException ex) {
                throw new IllegalStateException(server + " is not listening on 127.0.0.1:" + port
                        + " (start it, or run where Docker is available)", ex);
            }
        }
    }

}
