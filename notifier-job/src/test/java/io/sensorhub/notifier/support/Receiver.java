package io.sensorhub.notifier.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sensorhub.common.signing.WebhookHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A real HTTP webhook receiver on 127.0.0.1 (JDK HttpServer) that records every request
 * and answers as the test says. It also tracks, per {@code webhook-id}, how many requests
 * are in progress at once.
 */
public final class Receiver implements AutoCloseable {

    private final HttpServer server;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    private final AtomicInteger maxConcurrentPerEvent = new AtomicInteger();

    private volatile Function<Request, Answer> behaviour = request -> Answer.status(204);

    public Receiver() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        this.server.createContext("/", this::handle);
        this.server.setExecutor(this.executor);
        this.server.start();
    }

    /** The URL of a path on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
    }

    public String url() {
        return url("/hook");
    }

    public int port() {
        return this.server.getAddress().getPort();
    }

    /** How to answer from now on. */
    public Receiver answering(Function<Request, Answer> behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(this.requests);
    }

    public List<Request> requestsTo(String path) {
        return this.requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The most requests for one event that were in progress at the same time. */
    public int maxConcurrentPerEvent() {
        return this.maxConcurrentPerEvent.get();
    }

    /**
     * Asserts every request so far carries a Standard Webhooks signature valid for
     * {@code secret}.
     */
    public void assertAllSignedWith(String secret) {
        assertAllSignedWith(this.requests, secret);
    }

    /**
     * Asserts every request to this path so far carries a Standard Webhooks signature
     * valid for {@code secret}.
     */
    public void assertAllSignedWith(String path, String secret) {
        assertAllSignedWith(requestsTo(path), secret);
    }

    private static void assertAllSignedWith(List<Request> requests, String secret) {
        assertThat(requests).isNotEmpty();
        for (Request request : requests) {
            assertThatCode(() -> new Webhook(secret).verify(request.body(),
                    Map.of(WebhookHeaders.ID, List.of(request.header(WebhookHeaders.ID)), WebhookHeaders.TIMESTAMP,
                            List.of(request.header(WebhookHeaders.TIMESTAMP)), WebhookHeaders.SIGNATURE,
                            List.of(request.header(WebhookHeaders.SIGNATURE)))))
                .as("signature of %s", request.header(WebhookHeaders.ID))
                .doesNotThrowAnyException();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrived = Instant.now();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        Request request = new Request(exchange.getRequestURI().getPath(), headers,
                new String(body, StandardCharsets.UTF_8), arrived);
        String eventId = request.header(WebhookHeaders.ID);
        AtomicInteger concurrent = this.inProgress.computeIfAbsent(String.valueOf(eventId), id -> new AtomicInteger());
        this.maxConcurrentPerEvent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        this.requests.add(request);
        try {
            this.behaviour.apply(request).send(exchange);
        }
        catch (IOException | RuntimeException ex) {
            // the client went away (timeout, cancel, crash): nothing to answer
        }
        finally {
            concurrent.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
        this.executor.shutdownNow();
    }

    /** One request as received. */
    public record Request(String path, Map<String, String> headers, String body, Instant arrivedAt) {

        public String header(String name) {
            return this.headers.get(name);
        }

        public String eventId() {
            return header(WebhookHeaders.ID);
        }
    }

    /** How to answer one request. */
    public interface Answer {

        void send(HttpExchange exchange) throws IOException;

        static Answer status(int code) {
            return exchange -> exchange.sendResponseHeaders(code, -1);
        }

        static Answer status(int code, String header, String value) {
            return exchange -> {
                exchange.getResponseHeaders().set(header, value);
                exchange.sendResponseHeaders(code, -1);
            };
        }

        static Answer after(long millis, Answer then) {
            return exchange -> {
                try {
                    Thread.sleep(millis);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                then.send(exchange);
            };
        }

        /**
         * A 200 whose body streams on and on (bounded, so the test ends): the client must
         * not read it all.
         */
        static Answer endlessBody(AtomicInteger bytesSent) {
            return exchange -> {
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 4096; i++) { // at most 256 MiB
                        out.write(chunk);
                        bytesSent.addAndGet(chunk.length);
                    }
                }
            };
        }

    }

}
