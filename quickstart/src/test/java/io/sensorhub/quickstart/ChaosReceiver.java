package io.sensorhub.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sensorhub.common.signing.WebhookHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ChaosIT's webhook receiver: verifies every delivery with the official Standard Webhooks
 * library, records per (webhook, sensor) the sequences in the order they arrived and the
 * event ids received, and fails about one request in 30 with a 500 so that retries happen
 * too.
 */
final class ChaosReceiver implements AutoCloseable {

    private final HttpServer server;

    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    private final Map<String, Webhook> verifiers = new ConcurrentHashMap<>();

    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();

    private final Map<String, Set<String>> received = new ConcurrentHashMap<>();

    private final AtomicInteger unverified = new AtomicInteger();

    private final Random random = new Random(42);

    ChaosReceiver() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        this.server.createContext("/", this::handle);
        this.server.setExecutor(this.executor);
        this.server.start();
    }

    String url(String webhook) {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/" + webhook;
    }

    void verify(String webhook, String secret) throws Exception {
        this.verifiers.put(webhook, new Webhook(secret));
        this.received.put(webhook, ConcurrentHashMap.newKeySet());
    }

    int unverified() {
        return this.unverified.get();
    }

    /** How many of these event ids this webhook never received. */
    long missing(String webhook, Collection<String> eventIds) {
        Set<String> got = this.received.get(webhook);
        return eventIds.stream().filter(id -> !got.contains(id)).count();
    }

    /**
     * Arrivals whose sequence is lower than the one before it, for the same webhook and
     * sensor.
     */
    long outOfOrder() {
        long count = 0;
        for (List<Long> sequences : this.arrivals.values()) {
            synchronized (sequences) {
                for (int i = 1; i < sequences.size(); i++) {
                    count += (sequences.get(i) < sequences.get(i - 1)) ? 1 : 0;
                }
            }
        }
        return count;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String webhook = exchange.getRequestURI().getPath().substring(1);
            String body = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            Webhook verifier = this.verifiers.get(webhook);
            try {
                Map<String, List<String>> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
                verifier.verify(body, headers);
            }
            catch (Exception ex) {
                this.unverified.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (failNow()) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            record(webhook, exchange.getRequestHeaders().getFirst(WebhookHeaders.ID),
                    JsonMapper.shared().readTree(body));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private synchronized boolean failNow() {
        return this.random.nextInt(30) == 0;
    }

    private void record(String webhook, String eventId, JsonNode event) {
        JsonNode data = event.path("data");
        List<Long> sequences = this.arrivals.computeIfAbsent(webhook + "/" + data.path("sensorId").asString(),
                key -> new ArrayList<>());
        synchronized (sequences) {
            sequences.add(data.path("sequence").asLong());
        }
        this.received.get(webhook).add(eventId);
    }

    @Override
    public void close() {
        this.server.stop(0);
        this.executor.shutdownNow();
    }

}
