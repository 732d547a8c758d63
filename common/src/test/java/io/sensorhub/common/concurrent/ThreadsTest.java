package io.sensorhub.common.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadsTest {

    @Test
    void startedThreadsAreNamedDaemons() throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        Thread thread = Threads.start("test-loop", () -> ran.complete(Thread.currentThread().getName()));
        assertThat(thread.isDaemon()).isTrue();
        assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo("test-loop");
        thread.join();
    }

    @Test
    void factoryThreadsAreNumberedDaemons() {
        ThreadFactory factory = Threads.named("worker");
        Thread first = factory.newThread(() -> {
        });
        Thread second = factory.newThread(() -> {
        });
        assertThat(first.getName()).isEqualTo("worker-1");
        assertThat(second.getName()).isEqualTo("worker-2");
        assertThat(first.isDaemon()).isTrue();
    }

}
