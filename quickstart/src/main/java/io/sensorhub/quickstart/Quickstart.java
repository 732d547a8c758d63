package io.sensorhub.quickstart;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sensorhub.simulator.Simulator;

/**
 * SensorHub in one command: {@code java -jar quickstart/target/quickstart.jar} after a
 * build. Starts embedded PostgreSQL, Redis and an AMQP broker on free ports, the three
 * services from their jars, a demo client with a webhook to a built-in receiver, and the
 * simulator; prints where to look and follows the status changes that reach the receiver.
 * Ctrl-C stops everything.
 */
public final class Quickstart implements AutoCloseable {

    private static final String[] SERVICES = { "crud-service", "sensor-consumer", "notifier-job" };

    private final Console console;

    private final List<AutoCloseable> started = new ArrayList<>();

    private final List<ServiceProcess> services = new ArrayList<>();

    private DemoReceiver receiver;

    private Simulator simulator;

    /** Counted down when stopping begins. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private Quickstart(Console console) {
        this.console = console;
    }

    static final String USAGE = """
            Usage: java -jar quickstart/target/quickstart.jar [--broker=embedded|local]
              --broker=embedded  an AMQP broker (Qpid Broker-J) inside the quickstart, on a free port (default)
              --broker=local     the RabbitMQ already running on localhost:5672 (guest/guest) instead
            """;

    public static void main(String[] args) throws Exception {
        EmbeddedServers.Broker broker;
        try {
            broker = brokerOption(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Path root = repositoryRoot();
        Path libraryLog = sendLibraryLogsToFile(workDirectory(root));
        Console console = new Console(System.out);
        Quickstart quickstart;
        try {
            quickstart = start(root, console, broker);
        }
        catch (Exception ex) {
            console.warn("SensorHub could not start: " + ex.getMessage());
            console.warn("Details in " + libraryLog);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            quickstart.close();
            stopped.countDown();
        }, "quickstart-stop"));
        stopped.await();
    }

    /**
     * The broker chosen on the command line: {@code --broker=embedded} (the default) or
     * {@code --broker=local}.
     */
    static EmbeddedServers.Broker brokerOption(String... args) {
        EmbeddedServers.Broker broker = EmbeddedServers.Broker.EMBEDDED;
        for (String arg : args) {
            switch (arg) {
                case "--broker=embedded" -> broker = EmbeddedServers.Broker.EMBEDDED;
                case "--broker=local" -> broker = EmbeddedServers.Broker.LOCAL;
                default -> throw new IllegalArgumentException(
                        (arg.equals("--help") || arg.equals("-h") ? "" : "Unknown option " + arg + "\n") + USAGE);
            }
        }
        return broker;
    }

    /**
     * Library logging (the embedded PostgreSQL's initdb, Qpid, the simulator) goes to a
     * file, so that the console holds only what the quickstart itself says. Must run
     * before the first logger is created.
     */
    private static Path sendLibraryLogsToFile(Path work) throws Exception {
        Path log = Files.createDirectories(work.resolve("logs")).resolve("quickstart.log");
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        return log;
    }

    /**
     * Starts everything under {@code root} (the repository, holding the built service
     * jars).
     */
    static Quickstart start(Path root, Console console, EmbeddedServers.Broker broker) throws Exception {
        Quickstart quickstart = new Quickstart(console);
        try {
            quickstart.startAll(root, broker);
            return quickstart;
        }
        catch (Exception | Error ex) {
            quickstart.close();
            throw ex;
        }
    }

    /** The demo receiver, which counts verified deliveries. */
    DemoReceiver receiver() {
        return this.receiver;
    }

    /** The service processes, crud-service first. */
    List<ServiceProcess> services() {
        return List.copyOf(this.services);
    }

    @Override
    public void close() {
        this.closing.countDown();
        if (this.simulator != null) {
            this.simulator.stop();
        }
        for (int i = this.started.size() - 1; i >= 0; i--) {
            try {
                AutoCloseable part = this.started.get(i);
                part.close();
                if (part instanceof ServiceProcess service) {
                    reportStopped(service);
                }
            }
            catch (Exception ex) {
                this.console.warn("While stopping: " + ex.getMessage());
            }
        }
        this.started.clear();
    }

    /** Whether stopping has begun, or begins within the given time. */
    private boolean stopping(Duration within) {
        try {
            return this.closing.await(within.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static Path workDirectory(Path root) throws Exception {
        return Files.createDirectories(root.resolve("quickstart").resolve("target").resolve("run"));
    }

    private void reportStopped(ServiceProcess service) {
        if (service.stoppedGracefully()) {
            this.console.info(service.name() + " stopped");
        }
        else {
            this.console.warn(service.name() + " did not stop within 30 s and was killed; see " + service.log());
        }
    }

    private void startAll(Path root, EmbeddedServers.Broker broker) throws Exception {
        Path work = workDirectory(root);
        this.console
            .info((broker == EmbeddedServers.Broker.EMBEDDED) ? "Starting embedded PostgreSQL, Redis and AMQP broker…"
                    : "Starting embedded PostgreSQL and Redis; using the RabbitMQ on localhost:5672…");
        EmbeddedServers servers = EmbeddedServers.start(work, broker);
        this.started.add(servers);
        String adminToken = randomToken();
        List<ServiceProcess> services = startServices(root, work, servers, adminToken);
        URI api = URI.create("http://127.0.0.1:" + services.get(0).port());
        this.receiver = new DemoReceiver(EmbeddedServers.freePort(), this.console);
        this.started.add(this.receiver);
        DemoSetup.Demo demo = new DemoSetup(api).create(adminToken, this.receiver.url());
        this.receiver.verifyWith(demo.webhookSecret());
        startSimulator(servers.amqp(), api, demo.clientToken());
        printBanner(api, adminToken, demo, services, servers);
    }

    private List<ServiceProcess> startServices(Path root, Path work, EmbeddedServers servers, String adminToken)
            throws Exception {
        List<ServiceProcess> services = new ArrayList<>();
        // Webhook secrets are encrypted at rest with a key of this run (its database does
        // not outlive it either).
        byte[] secretsKey = new byte[32];
        new SecureRandom().nextBytes(secretsKey);
        for (String name : SERVICES) {
            List<String> properties = new ArrayList<>(commonProperties(servers));
            if (name.equals("crud-service")) {
                properties.add("sensorhub.admin-token=" + adminToken);
            }
            if (name.equals("sensor-consumer")) {
                // the embedded broker has no consistent-hash exchange
                properties.add("sensorhub.ingest.partitions=1");
            }
            if (name.equals("crud-service") || name.equals("notifier-job")) {
                properties.add("sensorhub.secrets.key=" + Base64.getEncoder().encodeToString(secretsKey));
            }
            ServiceProcess service = ServiceProcess.start(root, name, EmbeddedServers.freePort(), properties,
                    work.resolve("logs"));
            services.add(service);
            this.services.add(service);
            this.started.add(service);
        }
        this.console
            .info("Starting crud-service, sensor-consumer and notifier-job (logs in " + work.resolve("logs") + ")…");
        for (ServiceProcess service : services) {
            service.awaitReady();
            this.console.info(service.name() + " is ready on port " + service.port());
        }
        return services;
    }

    /**
     * Settings every service gets. The only adaptation to the embedded parts: webhooks
     * may target this machine (the demo receiver listens on 127.0.0.1).
     */
    private static List<String> commonProperties(EmbeddedServers servers) {
        EmbeddedServers.Amqp amqp = servers.amqp();
        return List.of("spring.datasource.url=" + servers.jdbcUrl(), "spring.datasource.username=postgres",
                "spring.datasource.password=", "spring.rabbitmq.host=" + amqp.host(),
                "spring.rabbitmq.port=" + amqp.port(), "spring.rabbitmq.virtual-host=" + amqp.virtualHost(),
                "spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest", "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + servers.redisPort(), "sensorhub.webhooks.allow-private-networks=true");
    }

    private void startSimulator(EmbeddedServers.Amqp amqp, URI api, String clientToken) {
        String uri = "amqp://guest:guest@" + amqp.host() + ":" + amqp.port() + "/"
                + URLEncoder.encode(amqp.virtualHost(), StandardCharsets.UTF_8);
        this.simulator = Simulator.fromArguments("--uri", uri, "--sensors", "5", "--prefix", "demo-", "--rate", "5",
                "--api", api.toString(), "--token", clientToken, "--silence", "0.002");
        Thread thread = new Thread(() -> {
            try {
                this.simulator.run();
            }
            catch (Exception ex) {
                // On Ctrl-C the JVM runs every shutdown hook at once, the embedded
                // broker's
                // too, so the simulator may lose its connection just before close() says
                // that everything is stopping: that is no news.
                if (!stopping(Duration.ofSeconds(2))) {
                    this.console.warn("Simulator stopped: " + ex.getMessage());
                }
            }
        }, "simulator");
        thread.setDaemon(true);
        thread.start();
    }

    private void printBanner(URI api, String adminToken, DemoSetup.Demo demo, List<ServiceProcess> services,
            EmbeddedServers servers) {
        this.console.block("""
                ================================================================================
                 SensorHub is running.
                   dashboard    %1$s/   (paste the demo client's token)
                   API          %1$s/api/v1   (Swagger UI: %1$s/swagger-ui.html)
                   admin token  %2$s
                   demo client  %3$s
                   try          curl -s -H 'Authorization: Bearer %3$s' %1$s/api/v1/sensors/demo-1
                   services     crud-service :%4$d  sensor-consumer :%5$d  notifier-job :%6$d (/actuator/health)
                   broker       %7$s on port %8$d
                   receiver     %9$s (verifies every signature)
                 5 simulated sensors publish readings; status changes reach the receiver below.
                 Ctrl-C stops everything.
                ================================================================================""".formatted(api,
                adminToken, demo.clientToken(), services.get(0).port(), services.get(1).port(), services.get(2).port(),
                servers.amqp().embedded() ? "embedded Qpid Broker-J" : "local RabbitMQ", servers.amqp().port(),
                this.receiver.url()));
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The repository: the nearest directory up from this class that holds
     * crud-service/pom.xml.
     */
    static Path repositoryRoot() throws Exception {
        Path location = Path.of(Quickstart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path dir = location; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("crud-service").resolve("pom.xml"))) {
                return dir;
            }
        }
        Path cwd = Path.of("").toAbsolutePath();
        if (Files.isRegularFile(cwd.resolve("crud-service").resolve("pom.xml"))) {
            return cwd;
        }
        throw new IllegalStateException("Run the quickstart from the SensorHub repository (built with ./mvnw package)");
    }

}
