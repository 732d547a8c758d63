package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives every lookup a deadline. The system resolver cannot be interrupted and may take
 * far longer than an attempt's timeout, so lookups run on threads of their own and the
 * caller waits at most the timeout; a lookup that takes longer fails the attempt and
 * finishes in the background. One lookup per host name runs at a time (callers for the
 * same name share it), so a name that never answers holds one lookup thread, not one per
 * attempt; at most {@code maxLookups} names are looked up at once, and a lookup beyond
 * that fails at once.
 */
public class TimedHostResolver implements HostResolver {

    private final HostResolver resolver;

    private final Duration timeout;

    private final Map<String, CompletableFuture<InetAddress[]>> inFlight = new ConcurrentHashMap<>();

    private final ThreadPoolExecutor lookups;

    public TimedHostResolver(HostResolver resolver, Duration timeout, int maxLookups) {
        this.resolver = resolver;
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.lookups = new ThreadPoolExecutor(0, maxLookups, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "dns-lookup-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return lookup(host).get(this.timeout.toNanos(), TimeUnit.NANOSECONDS).clone();
        }
        catch (TimeoutException ex) {
            throw new UnknownHostException(host + " took longer than " + this.timeout.toMillis() + " ms");
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host + ": " + ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + ": interrupted");
        }
    }

    /** The lookup of {@code host} in progress, or a new one. */
    private CompletableFuture<InetAddress[]> lookup(String host) {
        CompletableFuture<InetAddress[]> mine = new CompletableFuture<>();
        CompletableFuture<InetAddress[]> running = this.inFlight.putIfAbsent(host, mine);
        if (running != null) {
            return running;
        }
        try {
            this.lookups.execute(() -> run(host, mine));
        }
        catch (RejectedExecutionException ex) {
            this.inFlight.remove(host, mine);
            mine.completeExceptionally(
                    new UnknownHostException(host + ": not looked up, too many lookups in progress"));
        }
        return mine;
    }

    private void run(String host, CompletableFuture<InetAddress[]> lookup) {
        try {
            lookup.complete(this.resolver.resolve(host));
        }
        catch (Exception ex) {
            lookup.completeExceptionally(ex);
        }
        finally {
            this.inFlight.remove(host, lookup);
        }
    }

}
