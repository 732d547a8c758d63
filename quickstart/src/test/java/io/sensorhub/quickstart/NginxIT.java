package io.sensorhub.quickstart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The project's nginx configuration, run by Debian's nginx in front of two locally
 * started crud-service instances: routing to both, the 1 MiB limit, the rate limit's
 * problem+json answer, request ids, no /actuator outside, and no forwarding header of the
 * client's own reaching the service.
 */
class NginxIT {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String ADMIN_TOKEN = "nginx-test-admin-token-0123456789abcdef";

    @TempDir
    static Path work;

    private static final List<ServiceProcess> instances = new ArrayList<>();

    private static Process nginx;

    private static final List<String> accessLog = Collections.synchronizedList(new ArrayList<>());

    private static int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "Debian's nginx is not installed (apt-get install nginx)");
        // the test servers (PostgreSQL, Redis) of this run, as the other tests use them
        Path root = Quickstart.repositoryRoot();
        for (int i = 0; i < 2; i++) {
            List<String> properties = new ArrayList<>();
            TestServices.get().springProperties().forEach((key, value) -> properties.add(key + "=" + value));
            properties.add("sensorhub.admin-token=" + ADMIN_TOKEN);
            properties.add("logging.structured.format.console=ecs"); // JSON logs (Elastic
                                                                     // Common Schema)
            instances.add(ServiceProcess.start(root, "crud-service", EmbeddedServers.freePort(), properties,
                    work.resolve("logs-" + i)));
        }
        for (ServiceProcess instance : instances) {
            instance.awaitReady();
        }
        startNginx(root);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        for (ServiceProcess instance : instances) {
            instance.close();
        }
    }

    @Test
    void requestsReachBothInstancesWithARequestId() throws Exception {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = send(get("/api/v1/clients").header("X-Request-Id", "rid-" + i));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Request-Id")).contains("rid-" + i);
        }
        assertThat(send(get("/api/v1/clients")).headers().firstValue("X-Request-Id")).get()
            .asString()
            .hasSizeGreaterThan(8);
        TimeUnit.MILLISECONDS.sleep(200);
        for (ServiceProcess instance : instances) {
            assertThat(accessLog).anyMatch(line -> line.contains("upstream=127.0.0.1:" + instance.port()));
        }
        assertThat(accessLog).anyMatch(line -> line.contains("rid=rid-3"));
    }

    @Test
    void aClientsOwnForwardingHeadersNeverReachTheService() throws Exception {
        HttpResponse<String> redirect = send(HttpRequest.newBuilder(uri("/swagger-ui.html"))
            .header("Forwarded", "for=203.0.113.9;proto=https;host=evil.example")
            .header("X-Forwarded-Prefix", "/evil")
            .header("X-Forwarded-Ssl", "on"));
        assertThat(redirect.statusCode()).isBetween(300, 399);
        assertThat(redirect.headers().firstValue("Location")).get()
            .asString()
            .doesNotContain("evil")
            .doesNotStartWith("https:");

        HttpResponse<String> missing = send(
                get("/api/v1/clients/" + java.util.UUID.randomUUID()).header("Forwarded", "host=evil.example")
                    .header("X-Forwarded-Prefix", "/evil"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("instance").asString()).startsWith("/api/v1/clients/");
    }

    @Test
    void actuatorIsNotReachableThroughNginx() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/health")));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        HttpResponse<String> direct = this.http
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instances.get(0).port() + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedAsProblemJson() throws Exception {
        byte[] body = new byte[1024 * 1024 + 1];
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/clients"))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"status\":413");
    }

    @Test
    void aFloodFromOneAddressIsAnswered429AsProblemJson() {
        // Waves of 300 concurrent requests until one is limited: 100/s with a burst of
        // 200 is exceeded by the first wave on any machine that sends 300 requests in
        // under a second, and by a later one on a slower one.
        List<HttpResponse<String>> limited = new ArrayList<>();
        for (int wave = 0; wave < 20 && limited.isEmpty(); wave++) {
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                flood.add(this.http.sendAsync(get("/api/v1/clients").build(), HttpResponse.BodyHandlers.ofString()));
            }
            flood.stream()
                .map(CompletableFuture::join)
                .filter(response -> response.statusCode() == 429)
                .forEach(limited::add);
        }
        assertThat(limited).isNotEmpty();
        assertThat(limited.get(0).headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(limited.get(0).body()).contains("\"status\":429");
    }

    @Test
    void aRequestIdReachesTheJsonLogLinesOfTheInstanceThatServedIt() throws Exception {
        HttpResponse<String> client = send(post("/api/v1/clients", ADMIN_TOKEN, "{\"name\": \"logs\"}"));
        assertThat(client.statusCode()).isEqualTo(201);
        String token = JSON.readTree(client.body()).path("token").asString();
        HttpResponse<String> webhook = send(post("/api/v1/webhooks", token, "{\"url\": \"https://8.8.8.8/hooks\"}"));
        assertThat(webhook.statusCode()).isEqualTo(201);
        String webhookId = JSON.readTree(webhook.body()).path("id").asString();

        HttpResponse<String> test = send(
                post("/api/v1/webhooks/" + webhookId + "/test", token, "").header("X-Request-Id", "trace-me-7"));
        assertThat(test.statusCode()).isEqualTo(202);

        List<JsonNode> lines = new ArrayList<>();
        for (ServiceProcess instance : instances) {
            for (String line : Files.readAllLines(instance.log())) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        assertThat(lines).as("JSON log lines").isNotEmpty();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("correlationId").asString()).isEqualTo("trace-me-7");
            assertThat(line.path("message").asString()).contains("Queued webhook.test delivery");
        });
    }

    @Test
    void anEventReachesALiveStreamThroughNginxAsItComes() throws Exception {
        HttpResponse<String> client = send(post("/api/v1/clients", ADMIN_TOKEN, "{\"name\": \"stream\"}"));
        assertThat(client.statusCode()).isEqualTo(201);
        String token = JSON.readTree(client.body()).path("token").asString();
        String clientId = JSON.readTree(client.body()).path("id").asString();
        HttpResponse<java.util.stream.Stream<String>> stream = this.http
            .send(HttpRequest.newBuilder(uri("/api/v1/events/stream"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "stream-reader");
        reader.setDaemon(true);
        reader.start();
        // the stream's opening comment passed nginx unbuffered: the stream is registered
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains(":open"));

        // appended as notifier-job appends it
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(TestServices.get().jdbcUrl(),
                TestServices.get().jdbcUser(), TestServices.get().jdbcPassword())) {
            connection.setAutoCommit(false);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SELECT sensorhub_client_events_lock()");
                statement.execute("INSERT INTO client_events (client_id, event_id, event_type, body) VALUES ('"
                        + clientId + "', gen_random_uuid(), 'webhook.failing', '{\"type\": \"webhook.failing\"}')");
                statement.execute("NOTIFY " + io.sensorhub.common.notify.Channels.CLIENT_EVENTS);
            }
            connection.commit();
        }

        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> lines.contains("event:webhook.failing"));
        stream.body().close();
    }

    private HttpRequest.Builder post(String path, String token, String body) {
        return HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static void startNginx(Path root) throws Exception {
        port = EmbeddedServers.freePort();
        Path conf = Files.createDirectories(work.resolve("nginx"));
        String config = Files.readString(root.resolve("nginx/nginx.conf"));
        assertThat(config).contains("listen 80;");
        Files.writeString(conf.resolve("nginx.conf"), config.replace("listen 80;", "listen 127.0.0.1:" + port + ";"));
        StringBuilder upstreams = new StringBuilder();
        instances.forEach(instance -> upstreams.append("server 127.0.0.1:").append(instance.port()).append(";\n"));
        Files.writeString(conf.resolve("upstream.conf"), upstreams);
        nginx = new ProcessBuilder(NGINX.toString(), "-p", conf.toString(), "-c", conf.resolve("nginx.conf").toString(),
                "-g", "daemon off;")
            .redirectErrorStream(true)
            .start();
        Thread reader = new Thread(() -> readLog(nginx), "nginx-log");
        reader.setDaemon(true);
        reader.start();
        awaitListening();
    }

    private static void readLog(Process process) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines.lines().forEach(accessLog::add);
        }
        catch (IOException ex) {
            // nginx stopped
        }
    }

    private static void awaitListening() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nginx-health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            }
            catch (IOException ex) {
                assertThat(nginx.isAlive()).as(String.join("\n", accessLog)).isTrue();
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
