package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorhub.common.concurrent.Threads;
import io.sensorhub.common.logging.SafeText;
import io.sensorhub.common.readings.ReadingTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides which ingest partitions this instance consumes, with the other instances,
 * through two tables of the database they share (V71; docs/ingest.md, "Partitions"):
 * every {@code rebalance-interval} an instance renews its row in {@code ingest_members},
 * removes members not heard of for {@code member-timeout}, and, holding the partition
 * rows' locks, takes its share of the partitions: the live members sorted by name, the
 * i-th gets {@code partitions / n} partitions, one more if {@code i < partitions % n}. It
 * claims free partitions (no owner, or an owner taken for dead) up to its share, and
 * releases what it holds beyond it; another member claims a released partition on its
 * next round.
 * <p>
 * The hand-over rule: a member sets a partition free only after it stopped consuming it
 * (its batch in flight finished, its channel closed, its unacknowledged messages returned
 * to the queue's head), so the next owner starts where it stopped. A member that dies
 * holds its partitions until {@code member-timeout} passes; a member that cannot renew
 * its row (database unreachable, a long pause) stops consuming everything once half of
 * {@code member-timeout} has passed since its last renewal, before the others may take
 * over. Should both still meet on a queue, the queue's single active consumer makes the
 * broker deliver to one at a time.
 * <p>
 * Before the first claim, the single ingest queue of versions before 1.1 is drained if it
 * still exists ({@link #legacyQueueDrained}), so a sensor's older readings are stored
 * before its newer ones.
 */
@Component
class PartitionCoordinator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PartitionCoordinator.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final ConnectionFactory connections;

    private final RabbitAdmin admin;

    private final ObjectProvider<IngestListener> listeners;

    private final AmqpProperties names;

    private final IngestProperties properties;

    private final String member;

    private final int prefetch;

    /** The partitions this instance consumes, by number; touched by the tick thread. */
    private final Map<Integer, PartitionConsumer> consuming = new TreeMap<>();

    private PartitionConsumer legacy;

    private boolean legacyDrained;

    /** {@link System#nanoTime} when this member's row was last renewed. */
    private long renewedAt;

    private volatile ScheduledExecutorService ticks;

    PartitionCoordinator(JdbcClient jdbc, TransactionTemplate transactions, ConnectionFactory connections,
            RabbitAdmin admin, ObjectProvider<IngestListener> listeners, AmqpProperties names,
            IngestProperties properties, IngestMember member, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.connections = connections;
        this.admin = admin;
        this.listeners = listeners;
        this.names = names;
        this.properties = properties;
        this.member = member.name();
        this.prefetch = IngestConfiguration.prefetch(properties, Runtime.getRuntime().maxMemory());
        Gauge.builder("sensorhub.ingest.partitions.consumed", this.consuming, Map::size)
            .description("Ingest partitions this instance consumes")
            .register(meters);
    }

    /** The partitions this instance consumes now. */
    synchronized Set<Integer> consuming() {
        return new TreeSet<>(this.consuming.keySet());
    }

    @Override
    public boolean isAutoStartup() {
        return this.properties.autoStartup();
    }

    @Override
    public synchronized void start() {
        if (this.ticks != null) {
            return;
        }
        this.renewedAt = System.nanoTime();
        this.ticks = Executors.newSingleThreadScheduledExecutor(Threads.named("ingest-partitions"));
        this.ticks.scheduleWithFixedDelay(this::tick, 0, this.properties.rebalanceInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Stops consuming, hands every partition over and leaves the group, so the others
     * take over at their next round rather than after {@code member-timeout}.
     */
    @Override
    public void stop() {
        ScheduledExecutorService executor;
        synchronized (this) {
            executor = this.ticks;
            this.ticks = null;
        }
        if (executor == null) {
            return;
        }
        executor.shutdown();
        awaitTermination(executor);
        synchronized (this) {
            stopAll();
            try {
                this.jdbc
                    .sql("UPDATE ingest_partitions SET owner = NULL, owned_since = NULL "
                            + "WHERE ingest_group = ? AND owner = ?")
                    .params(this.names.ingestGroup(), this.member)
                    .update();
                this.jdbc.sql("DELETE FROM ingest_members WHERE ingest_group = ? AND member = ?")
                    .params(this.names.ingestGroup(), this.member)
                    .update();
            }
            catch (RuntimeException ex) {
                log.warn("Could not leave the ingest group ({}); the others take over after {}", SafeText.printable(ex),
                        this.properties.memberTimeout());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.ticks != null;
    }

    @Override
    public int getPhase() {
        return IngestConfiguration.LISTENER_PHASE;
    }

    /** One round (also called by tests, between rounds of the scheduler). */
    synchronized void tick() {
        long started = System.nanoTime();
        try {
            if (!legacyQueueDrained()) {
                return;
            }
            Plan plan = this.transactions.execute(status -> rebalance());
            this.renewedAt = started;
            follow(plan);
        }
        catch (RuntimeException ex) {
            log.warn("Ingest partition round failed: {}", SafeText.printable(ex));
            fenceIfStale();
        }
    }

    /**
     * Stops consuming everything when this member could not renew its row for half of
     * {@code member-timeout}: soon the others may take its partitions.
     */
    private void fenceIfStale() {
        long stale = System.nanoTime() - this.renewedAt;
        if (!this.consuming.isEmpty() && stale > this.properties.memberTimeout().toNanos() / 2) {
            log.warn("Membership not renewed for {} ms: stopping all {} partitions until it is",
                    TimeUnit.NANOSECONDS.toMillis(stale), this.consuming.size());
            stopAll();
        }
    }

    private Plan rebalance() {
        String group = this.names.ingestGroup();
        int partitions = this.properties.partitions();
        this.jdbc.sql("""
                INSERT INTO ingest_members (ingest_group, member, seen_at) VALUES (?, ?, now())
                ON CONFLICT (ingest_group, member) DO UPDATE SET seen_at = now()""")
            .params(group, this.member)
            .update();
        this.jdbc.sql("DELETE FROM ingest_members WHERE ingest_group = ? AND seen_at < now() - ?::interval")
            .params(group, this.properties.memberTimeout().toMillis() + " milliseconds")
            .update();
        this.jdbc.sql("""
                INSERT INTO ingest_partitions (ingest_group, partition) SELECT ?, generate_series(0, ? - 1)
                ON CONFLICT DO NOTHING""").params(group, partitions).update();
        Map<Integer, String> owners = new TreeMap<>();
        this.jdbc.sql("""
                SELECT partition, owner FROM ingest_partitions WHERE ingest_group = ? AND partition < ?
                ORDER BY partition FOR UPDATE""")
            .params(group, partitions)
            .query((rows, n) -> owners.put(rows.getInt(1), rows.getString(2)))
            .list();
        List<String> live = this.jdbc.sql("SELECT member FROM ingest_members WHERE ingest_group = ? ORDER BY member")
            .param(group)
            .query(String.class)
            .list();
        Plan plan = plan(owners, live, this.member);
        for (int partition : plan.claim()) {
            this.jdbc
                .sql("UPDATE ingest_partitions SET owner = ?, owned_since = now() "
                        + "WHERE ingest_group = ? AND partition = ?")
                .params(this.member, group, partition)
                .update();
        }
        return plan;
    }

    /**
     * What {@code me} does this round, given each partition's owner (null: none) and the
     * live members: the partitions it keeps, those it claims (free, or owned by a member
     * no longer live) and those it releases (held beyond its share).
     */
    static Plan plan(Map<Integer, String> owners, List<String> live, String me) {
        List<String> members = new ArrayList<>(new TreeSet<>(live));
        int index = members.indexOf(me);
        if (index < 0) {
            return new Plan(Set.of(), Set.of(), Set.of());
        }
        int share = owners.size() / members.size() + ((index < owners.size() % members.size()) ? 1 : 0);
        Set<String> alive = new HashSet<>(members);
        List<Integer> mine = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        owners.forEach((partition, owner) -> {
            if (me.equals(owner)) {
                mine.add(partition);
            }
            else if (owner == null || !alive.contains(owner)) {
                free.add(partition);
            }
        });
        Set<Integer> keep = new TreeSet<>(mine.subList(0, Math.min(share, mine.size())));
        Set<Integer> release = new TreeSet<>(mine.subList(keep.size(), mine.size()));
        Set<Integer> claim = new TreeSet<>(free.subList(0, Math.min(free.size(), share - keep.size())));
        return new Plan(keep, claim, release);
    }

    /** Makes the consumers match the plan: stop, release, start. */
    private void follow(Plan plan) {
        Set<Integer> owned = new TreeSet<>(plan.keep());
        owned.addAll(plan.claim());
        List<PartitionConsumer> stopping = new ArrayList<>();
        for (int partition : new ArrayList<>(this.consuming.keySet())) {
            if (!owned.contains(partition)) {
                // released this round, or lost to another member while this one was
                // taken for dead
                stopping.add(this.consuming.remove(partition));
            }
        }
        stop(stopping);
        for (int partition : plan.release()) {
            this.jdbc
                .sql("UPDATE ingest_partitions SET owner = NULL, owned_since = NULL "
                        + "WHERE ingest_group = ? AND partition = ? AND owner = ?")
                .params(this.names.ingestGroup(), partition, this.member)
                .update();
        }
        for (int partition : owned) {
            PartitionConsumer consumer = this.consuming.get(partition);
            if (consumer == null || !consumer.isRunning()) {
                this.consuming.put(partition, consumer(this.names.partitionQueue(partition)));
            }
        }
        if (!plan.claim().isEmpty() || !plan.release().isEmpty()) {
            log.info("Ingest partitions: claimed {}, released {}, consuming {}", plan.claim(), plan.release(),
                    this.consuming.keySet());
        }
    }

    /**
     * Whether the single ingest queue of versions before 1.1 is gone; until then, drains
     * it: unbinds it (new readings go to the partitions only), consumes it, and once it
     * holds no message and has no consumer (each instance stops consuming it when it
     * finds it empty), deletes it.
     */
    private boolean legacyQueueDrained() {
        if (this.legacyDrained) {
            return true;
        }
        String queue = this.names.legacyQueue();
        QueueInformation info = this.admin.getQueueInfo(queue);
        if (info == null) {
            this.legacyDrained = true;
            return true;
        }
        this.admin.removeBinding(new Binding(queue, Binding.DestinationType.QUEUE, this.names.exchange(),
                ReadingTopology.BINDING_KEY, null));
        if (info.getMessageCount() > 0) {
            if (this.legacy == null || !this.legacy.isRunning()) {
                log.info("Draining {} messages from {}, the ingest queue of an older version, before consuming "
                        + "the partitions", info.getMessageCount(), queue);
                this.legacy = consumer(queue);
            }
            return false;
        }
        if (this.legacy != null) {
            this.legacy.stop();
            this.legacy = null;
            return false;
        }
        if (info.getConsumerCount() == 0) {
            // checked just now: empty and unused (quorum queues refuse the if-empty and
            // if-unused flags, with a connection error); nothing is routed to it any more
            this.admin.deleteQueue(queue, false, false);
            log.info("Deleted {}, the drained ingest queue of an older version", queue);
        }
        return false;
    }

    private PartitionConsumer consumer(String queue) {
        int batchSize = Math.min(this.properties.batchSize(), this.prefetch);
        return new PartitionConsumer(queue, this.connections, this.listeners.getObject(), this.prefetch, batchSize,
                handOverGrace());
    }

    /**
     * How long a hand-over lets a batch in flight finish: a quarter of
     * {@code member-timeout}, so that stopping every partition fits in the time before
     * others take over.
     */
    private Duration handOverGrace() {
        return this.properties.memberTimeout().dividedBy(4);
    }

    private void stopAll() {
        List<PartitionConsumer> stopping = new ArrayList<>(this.consuming.values());
        this.consuming.clear();
        if (this.legacy != null) {
            stopping.add(this.legacy);
            this.legacy = null;
        }
        stop(stopping);
    }

    /**
     * Stops consumers side by side (each may wait for its batch in flight), and returns
     * when all have stopped.
     */
    private static void stop(List<PartitionConsumer> consumers) {
        List<Thread> stops = consumers.stream()
            .map(consumer -> Threads.start("ingest-stop-" + consumer.queue(), consumer::stop))
            .toList();
        for (Thread stop : stops) {
            try {
                stop.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void awaitTermination(ScheduledExecutorService executor) {
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                log.warn("Ingest partition round did not end");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A member's round: partitions it keeps consuming, claims, and releases (after
     * stopping).
     */
    record Plan(Set<Integer> keep, Set<Integer> claim, Set<Integer> release) {
    }

}
