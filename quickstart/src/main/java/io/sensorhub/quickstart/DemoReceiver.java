package io.sensorhub.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo webhook receiver: verifies each delivery's Standard Webhooks signature with
 * the official library, as a client would, answers 204, and prints the status change.
 * Unverified deliveries are refused with 401.
 */
final class DemoReceiver implements AutoCloseable {

    private static final int MAX_BODY = 64 * 1024;

    private final ObjectMapper json = JsonMapper.builder().build();

    private final HttpServer server;

    private final Console console;

    private final AtomicInteger verified = new AtomicInteger();

    private volatile Webhook webhook;

    DemoReceiver(int port, Console console) throws IOException {
        this.console = console;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        this.server.createContext("/webhook", this::handle);
        this.server.setExecutor(Executors.newFixedThreadPool(4));
        this.server.start();
    }

    String url() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/webhook";
    }

    /** The secret deliveries are verified with (known once the webhook is created). */
    void verifyWith(String secret) {
        try {
            this.webhook = new Webhook(secret);
        }
        catch (EmptyWebhookSecretException ex) {
            throw new IllegalArgumentException("The webhook was created without a secret", ex);
        }
    }

    int verifiedDeliveries() {
        return this.verified.get();
    }

    /**
     * Waits until at least {@code count} verified deliveries arrived; answers whether
     * they did in time.
     */
    boolean awaitVerified(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.verified.get() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return this.verified.get() >= count;
    }

    @Override
    public void close() {
        this.server.stop(0);
        ((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = readBody(exchange.getRequestBody());
            Map<String, List<String>> headers = lowerCase(exchange.getRequestHeaders());
            Webhook current = this.webhook;
            if (current == null || !"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            current.verify(body, headers);
            exchange.sendResponseHeaders(204, -1);
            // The header's name as the standard (the official library) has it: this
            // receiver plays a client, which knows the standard, not SensorHub's code.
            print(body, headers.getOrDefault(Webhook.UNBRANDED_MSG_ID_KEY, List.of("?")).get(0));
            // Counted once printed: whoever waits for a delivery sees its line too.
            this.verified.incrementAndGet();
        }
        catch (WebhookVerificationException ex) {
            this.console.warn("Refused a delivery whose signature did not verify: " + ex.getMessage());
            exchange.sendResponseHeaders(401, -1);
        }
    }

    private void print(String body, String webhookId) {
        JsonNode event = this.json.readTree(body);
        JsonNode data = event.path("data");
        if ("sensor.status_changed".equals(event.path("type").asString())) {
            this.console.info("webhook ✔ %-10s %-8s → %-8s value=%s sequence=%s".formatted(
                    data.path("sensorId").asString(), data.path("previousStatus").asString(),
                    data.path("status").asString(), data.path("value").asString(), data.path("sequence").asString()));
        }
        else {
            this.console.info("webhook ✔ " + event.path("type").asString() + " (" + webhookId + ")");
        }
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new java.util.HashMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), values));
        return lower;
    }

    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY);
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
