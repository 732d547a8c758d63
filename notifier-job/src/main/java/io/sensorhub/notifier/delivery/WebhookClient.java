package io.sensorhub.notifier.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sensorhub.common.addresses.AddressPolicy;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.signing.SecretCipher;
import io.sensorhub.common.signing.WebhookHeaders;
import io.sensorhub.common.signing.WebhookSecrets;
import io.sensorhub.common.signing.WebhookSigner;
import io.sensorhub.notifier.addresses.AddressRefusedException;
import io.sensorhub.notifier.addresses.GuardedDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * POSTs one delivery attempt: pooled connections (bounded overall and per host), the
 * contract's headers and Standard Webhooks signature, no redirects, no automatic retries,
 * at most {@code max-response-header-bytes} of the response's head and
 * {@value #MAX_RESPONSE_BYTES} bytes of its body read, and the whole attempt cut off at
 * the timeout (the DNS lookup too: the resolver given waits at most the timeout).
 * Connections go only to addresses the {@link GuardedDnsResolver} allowed.
 */
public class WebhookClient implements AutoCloseable {

    /** At most this much of a response is read (docs/api.md, webhook deliveries). */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient http;

    private final Duration timeout;

    private final boolean allowPrivateNetworks;

    private final BoundedResponseHead head;

    private final ScheduledExecutorService deadlines = Executors
        .newSingleThreadScheduledExecutor(Threads.named("webhook-deadlines"));

    /**
     * Secrets are stored encrypted (crud-service's {@code sensorhub.secrets.key});
     * decrypted per attempt.
     */
    private final SecretCipher cipher;

    public WebhookClient(DeliveryProperties properties, GuardedDnsResolver resolver, String userAgent,
            SecretCipher cipher) {
        this.cipher = cipher;
        this.timeout = properties.timeout();
        this.allowPrivateNetworks = properties.allowPrivateNetworks();
        this.head = new BoundedResponseHead(properties.maxResponseHeaderBytes());
        Timeout limit = Timeout.of(this.timeout);
        this.http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                    .http1Config(this.head.http1Config())
                    .responseParserFactory(this.head)
                    .build())
                .setDnsResolver(resolver)
                .setMaxConnTotal(properties.maxConcurrency())
                .setMaxConnPerRoute(properties.maxConcurrencyPerHost())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(limit).setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                    .setConnectTimeout(limit)
                    .setSocketTimeout(limit)
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .build())
                .build())
            .setDefaultRequestConfig(RequestConfig.custom()
                .setRedirectsEnabled(false)
                .setResponseTimeout(limit)
                .setConnectionRequestTimeout(limit)
                .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .setUserAgent(userAgent)
            .build();
    }

    /** Attempts the delivery once; never throws. */
    public AttemptResult post(ClaimedDelivery delivery) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        HttpPost request;
        try {
            request = request(delivery, at);
        }
        catch (IOException | IllegalArgumentException | IllegalStateException ex) {
            return AttemptResult.failure(at, 0, ex.getMessage()); // (a secret that cannot
                                                                  // be decrypted: never
                                                                  // shown)
        }
        ScheduledFuture<?> deadline = this.deadlines.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return execute(request, at, started);
        }
        catch (IOException | RuntimeException ex) {
            return AttemptResult.failure(at, millisSince(started), describe(ex, timedOut.get()));
        }
        finally {
            deadline.cancel(false);
        }
    }

    private HttpPost request(ClaimedDelivery delivery, Instant at) throws IOException {
        URI uri = URI.create(delivery.url());
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL: " + delivery.url());
        }
        checkLiteralAddress(uri);
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = at.getEpochSecond();
        HttpPost request = new HttpPost(uri);
        request.setHeader(WebhookHeaders.ID, delivery.eventId().toString());
        request.setHeader(WebhookHeaders.TIMESTAMP, Long.toString(timestamp));
        WebhookSecrets stored = delivery.secrets();
        WebhookSecrets secrets = new WebhookSecrets(this.cipher.decrypt(stored.current()),
                this.cipher.decrypt(stored.previous()), stored.rotatedAt());
        request.setHeader(WebhookHeaders.SIGNATURE,
                WebhookSigner.signatureHeader(secrets, at, delivery.eventId().toString(), timestamp, body));
        request.setEntity(new ByteArrayEntity(body, JSON));
        return request;
    }

    /**
     * An IP literal never reaches the resolver in every client version; check it here
     * too.
     */
    private void checkLiteralAddress(URI uri) throws IOException {
        String host = uri.getHost();
        if (this.allowPrivateNetworks || host == null || !(host.contains(":") || host.matches("[0-9.]+"))) {
            return;
        }
        InetAddress address = InetAddress.getByName(host);
        if (!AddressPolicy.isPublic(address)) {
            throw new AddressRefusedException(host, address.getHostAddress());
        }
    }

    private AttemptResult execute(HttpPost request, Instant at, long started) throws IOException {
        ClassicHttpResponse response = this.http.executeOpen(null, request, null);
        try {
            int status = response.getCode();
            int latency = millisSince(started);
            ResponseExcerpt excerpt = new ResponseExcerpt();
            if (!readBounded(response.getEntity(), excerpt)) {
                request.cancel(); // more than we read (or it stalled): drop the
                                  // connection instead of draining it
            }
            Header retryAfter = response.getFirstHeader("Retry-After");
            return AttemptResult.response(at, status, latency,
                    RetryAfter.of(status, (retryAfter != null) ? retryAfter.getValue() : null, Instant.now())
                        .orElse(null),
                    excerpt.text(charset(response.getEntity())));
        }
        finally {
            closeQuietly(response);
        }
    }

    /**
     * Reads at most {@link #MAX_RESPONSE_BYTES}, keeping the first of them in
     * {@code excerpt}; true if the body ended within them. The status line decided the
     * outcome already, so a body that fails to arrive only costs the connection (and
     * leaves the excerpt with what came).
     */
    private static boolean readBounded(HttpEntity entity, ResponseExcerpt excerpt) {
        if (entity == null) {
            return true;
        }
        try {
            InputStream content = entity.getContent();
            if (content == null) {
                return true;
            }
            byte[] buffer = new byte[8192];
            int total = 0;
            int read;
            while ((read = content.read(buffer)) >= 0) {
                excerpt.append(buffer, read);
                total += read;
                if (total > MAX_RESPONSE_BYTES) {
                    return false;
                }
            }
            return true;
        }
        catch (IOException ex) {
            excerpt.markCut();
            return false;
        }
    }

    /**
     * The charset the response declares, if Java knows it; null otherwise (read as
     * UTF-8).
     */
    private static Charset charset(HttpEntity entity) {
        try {
            ContentType type = (entity != null) ? ContentType.parseLenient(entity.getContentType()) : null;
            return (type != null) ? type.getCharset() : null;
        }
        catch (RuntimeException ex) { // an unknown or malformed charset name
            return null;
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        }
        catch (IOException ex) {
            // the connection is discarded either way
        }
    }

    /**
     * Why the attempt failed: the specific causes first, since a DNS lookup cut off at
     * the timeout trips the deadline too.
     */
    private String describe(Exception ex, boolean timedOut) {
        if (hasCause(ex, MessageConstraintException.class)) {
            return this.head.error();
        }
        AddressRefusedException refused = cause(ex, AddressRefusedException.class);
        if (refused != null) {
            return refused.getMessage();
        }
        UnknownHostException unknown = cause(ex, UnknownHostException.class);
        if (unknown != null) {
            return "DNS lookup failed: " + unknown.getMessage();
        }
        if (timedOut || ex instanceof SocketTimeoutException || hasCause(ex, SocketTimeoutException.class)) {
            return "timeout after " + this.timeout.toMillis() + " ms";
        }
        if (ex instanceof ConnectException) {
            return "connection failed: " + ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return cause(ex, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable current = ex; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    private static int millisSince(long started) {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public void close() throws IOException {
        this.deadlines.shutdownNow();
        this.http.close();
    }

}
