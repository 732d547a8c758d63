package io.sensorhub.consumer.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The ingest's one retry loop: what it retries, how often, after which pauses. */
class RetryingTest {

    private static final Duration INITIAL = Duration.ofMillis(1);

    private final List<Duration> pauses = new ArrayList<>();

    private final List<Integer> attempts = new ArrayList<>();

    @Test
    void retriesARetryableFailureUntilTheCallSucceedsPausingTwiceAsLongEachTimeUpToTheMaximum() throws Exception {
        Retrying retrying = retrying(Retrying.WITHOUT_END, (failure) -> true);

        assertThat(retrying.call(failingTimes(5, "done"))).isEqualTo("done");

        assertThat(this.attempts).containsExactly(1, 2, 3, 4, 5);
        assertThat(this.pauses).containsExactly(INITIAL, INITIAL.multipliedBy(2), INITIAL.multipliedBy(4),
                INITIAL.multipliedBy(4), INITIAL.multipliedBy(4));
    }

    @Test
    void aFailureNotToRetryIsThrownAtOnce() {
        Retrying retrying = retrying(Retrying.WITHOUT_END, (failure) -> !(failure instanceof IllegalStateException));
        AtomicInteger calls = new AtomicInteger();

        assertThatIllegalStateException().isThrownBy(() -> retrying.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("poison");
        })).withMessage("poison");

        assertThat(calls).hasValue(1);
        assertThat(this.pauses).isEmpty();
    }

    @Test
    void afterTheLastAttemptItsFailureIsThrown() {
        Retrying retrying = retrying(3, (failure) -> true);

        assertThatIllegalStateException().isThrownBy(() -> retrying.call(failingTimes(10, "never")))
            .withMessage("failure 3");

        assertThat(this.attempts).containsExactly(1, 2);
    }

    @Test
    void anInterruptDuringAPauseEndsTheRetrying() {
        Retrying retrying = retrying(Retrying.WITHOUT_END, (failure) -> true);
        AtomicInteger calls = new AtomicInteger();

        assertThatExceptionOfType(InterruptedException.class).isThrownBy(() -> retrying.call(() -> {
            calls.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("down");
        }));

        assertThat(calls).hasValue(1);
    }

    private Retrying retrying(int maxAttempts, Predicate<RuntimeException> retryable) {
        return new Retrying(maxAttempts, INITIAL, INITIAL.multipliedBy(4), retryable, (attempt, delay, failure) -> {
            this.attempts.add(attempt);
            this.pauses.add(delay);
        });
    }

    /** Fails the first {@code failures} calls (with "failure n"), then answers. */
    private static Supplier<String> failingTimes(int failures, String answer) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            int call = calls.incrementAndGet();
            if (call <= failures) {
                throw new IllegalStateException("failure " + call);
            }
            return answer;
        };
    }

}
