package io.sensorhub.common.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background threads, made one way everywhere: named for what they do (so a thread dump
 * reads), daemon (a stuck one never keeps a stopping JVM alive; each owner stops its
 * threads from its {@code SmartLifecycle.stop}).
 */
public final class Threads {

    private Threads() {
    }

    /** Starts a daemon thread with exactly this name running {@code body}. */
    public static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, …, for
     * executors.
     */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return (runnable) -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
