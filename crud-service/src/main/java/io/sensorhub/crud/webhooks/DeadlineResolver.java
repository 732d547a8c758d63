package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sensorhub.crud.web.InvalidInputException;
import io.sensorhub.crud.web.ServiceBusyException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Resolves webhook host names with a deadline ({@code sensorhub.webhooks.dns-timeout})
 * and at most {@code sensorhub.webhooks.max-concurrent-resolutions} lookups at a time, so
 * a slow DNS zone costs a client a 400 and never ties up request threads or the database
 * pool. A lookup runs on its own thread (the JDK's cannot be interrupted) and keeps its
 * slot until the lookup really ends, past the deadline if need be: that is what bounds
 * the threads a hanging resolver can hold. When every slot is taken the request is
 * answered 503 at once.
 * <p>
 * The underlying resolver is the system's, or a {@link WebhookUrlPolicy.Resolver} bean
 * where one is defined.
 */
@Component
class DeadlineResolver implements AutoCloseable {

    private final WebhookUrlPolicy.Resolver resolver;

    private final Duration timeout;

    private final Semaphore slots;

    private final ExecutorService lookups = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-dns");
        thread.setDaemon(true);
        return thread;
    });

    DeadlineResolver(WebhookUrlProperties properties, ObjectProvider<WebhookUrlPolicy.Resolver> resolver) {
        if (properties.dnsTimeout().isNegative() || properties.dnsTimeout().isZero()
                || properties.maxConcurrentResolutions() < 1) {
            throw new IllegalArgumentException("sensorhub.webhooks.dns-timeout and "
                    + "sensorhub.webhooks.max-concurrent-resolutions must be positive");
        }
        this.resolver = resolver.getIfAvailable(() -> InetAddress::getAllByName);
        this.timeout = properties.dnsTimeout();
        this.slots = new Semaphore(properties.maxConcurrentResolutions());
    }

    /**
     * The addresses of {@code host}.
     * @throws UnknownHostException when it does not resolve
     * @throws InvalidInputException (400 on {@code url}) when it does not resolve within
     * the deadline
     * @throws ServiceBusyException (503) when every resolution slot is taken
     */
    InetAddress[] resolve(String host) throws UnknownHostException {
        if (!this.slots.tryAcquire()) {
            throw new ServiceBusyException("Too many webhook host names are being resolved at once; retry later");
        }
        CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
        try {
            this.lookups.execute(() -> lookup(host, lookup));
        }
        catch (RuntimeException ex) {
            this.slots.release();
            throw ex;
        }
        return await(lookup);
    }

    private void lookup(String host, CompletableFuture<InetAddress[]> result) {
        try {
            result.complete(this.resolver.resolve(host));
        }
        catch (Exception ex) {
            result.completeExceptionally(ex);
        }
        finally {
            this.slots.release();
        }
    }

    private InetAddress[] await(CompletableFuture<InetAddress[]> lookup) throws UnknownHostException {
        try {
            return lookup.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            throw new InvalidInputException("url",
                    "has a host name that did not resolve within " + seconds() + " (sensorhub.webhooks.dns-timeout)");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ServiceBusyException("Interrupted while resolving the webhook's host name; retry");
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            // a resolver failure other than "no such host" (e.g. a SecurityException):
            // the name is unusable
            throw new UnknownHostException(String.valueOf(ex.getCause()));
        }
    }

    private String seconds() {
        return (this.timeout.toMillis() % 1000 == 0) ? this.timeout.toSeconds() + " s"
                : this.timeout.toMillis() + " ms";
    }

    @Override
    public void close() {
        this.lookups.shutdownNow();
    }

}
