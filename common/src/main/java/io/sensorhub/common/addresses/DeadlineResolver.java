package io.sensorhub.common.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sensorhub.common.concurrent.Threads;

/**
 * Resolves host names with a deadline, on a bounded number of lookup threads. The system
 * resolver cannot be interrupted and may take far longer than a caller can wait, so each
 * lookup runs on a thread of its own and the caller waits at most {@code timeout}; a
 * lookup that takes longer goes on in the background and keeps its thread until it really
 * ends. That is what bounds the threads a DNS zone that never answers can hold: at most
 * {@code maxLookups} lookups run at once, and a lookup beyond that is refused at once
 * instead of queueing. One lookup per host name runs at a time: callers asking for the
 * same name share it, so a name that never answers holds one thread, not one per caller.
 * <p>
 * Outcomes, for each caller to react to in its own way: the addresses;
 * {@link ResolutionTimeoutException} when no answer came within the deadline;
 * {@link ResolverUnavailableException} when the name was not looked up (every lookup
 * thread busy, the caller interrupted, the resolver closed); otherwise an
 * {@link UnknownHostException}: the name does not resolve (a failure of the resolver
 * other than that is reported as one too). Both named exceptions are
 * {@code UnknownHostException}s, so a caller that needs no distinction needs no code for
 * them.
 * <p>
 * Deliberately not a {@link HostResolver} itself: it wraps one, and as a bean it must not
 * be taken for the resolver it wraps.
 */
public final class DeadlineResolver implements AutoCloseable {

    private final HostResolver resolver;

    private final Duration timeout;

    private final Semaphore slots;

    private final Map<String, CompletableFuture<InetAddress[]>> inFlight = new ConcurrentHashMap<>();

    private final ExecutorService lookups = Executors.newCachedThreadPool(Threads.named("dns-lookup"));

    /**
     * @param resolver the resolver asked, on a lookup thread
     * @param timeout how long a caller waits for an answer; positive
     * @param maxLookups how many lookups may run at once; at least 1
     */
    public DeadlineResolver(HostResolver resolver, Duration timeout, int maxLookups) {
        if (timeout.isNegative() || timeout.isZero() || maxLookups < 1) {
            throw new IllegalArgumentException(
                    "the timeout (" + timeout + ") and maxLookups (" + maxLookups + ") must be positive");
        }
        this.resolver = resolver;
        this.timeout = timeout;
        this.slots = new Semaphore(maxLookups);
    }

    /**
     * The addresses of {@code host}, within the deadline.
     * @throws ResolutionTimeoutException when no answer came within the deadline
     * @throws ResolverUnavailableException when the name was not looked up
     * @throws UnknownHostException when the name does not resolve
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return lookup(host).get(this.timeout.toNanos(), TimeUnit.NANOSECONDS).clone();
        }
        catch (TimeoutException ex) {
            throw new ResolutionTimeoutException(host, this.timeout);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host + ": " + ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ResolverUnavailableException(host + ": interrupted while waiting for the lookup");
        }
    }

    /** The lookup of {@code host} in progress, or a new one. */
    private CompletableFuture<InetAddress[]> lookup(String host) {
        CompletableFuture<InetAddress[]> mine = new CompletableFuture<>();
        CompletableFuture<InetAddress[]> running = this.inFlight.putIfAbsent(host, mine);
        if (running != null) {
            return running;
        }
        if (!this.slots.tryAcquire()) {
            return notLookedUp(host, mine, "not looked up, too many lookups in progress", false);
        }
        try {
            this.lookups.execute(() -> run(host, mine));
        }
        catch (RejectedExecutionException ex) {
            return notLookedUp(host, mine, "not looked up, the resolver is closed", true);
        }
        return mine;
    }

    /**
     * Fails {@code lookup} for everyone who joined it (callers for the same name may
     * have).
     */
    private CompletableFuture<InetAddress[]> notLookedUp(String host, CompletableFuture<InetAddress[]> lookup,
            String why, boolean releaseSlot) {
        this.inFlight.remove(host, lookup);
        if (releaseSlot) {
            this.slots.release();
        }
        lookup.completeExceptionally(new ResolverUnavailableException(host + ": " + why));
        return lookup;
    }

    private void run(String host, CompletableFuture<InetAddress[]> lookup) {
        InetAddress[] addresses = null;
        Exception failure = null;
        try {
            addresses = this.resolver.resolve(host);
        }
        catch (Exception ex) {
            failure = ex;
        }
        finally {
            // Free the slot before answering: whoever gets the answer may look up again
            // at once.
            this.inFlight.remove(host, lookup);
            this.slots.release();
        }
        if (failure != null) {
            lookup.completeExceptionally(failure);
        }
        else {
            lookup.complete(addresses);
        }
    }

    /** Stops the lookup threads; a lookup asked for afterwards is not made. */
    @Override
    public void close() {
        this.lookups.shutdownNow();
    }

}
