package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import io.sensorhub.notifier.delivery.DeliveryPolicy.DeliveryState;
import io.sensorhub.notifier.delivery.DeliveryPolicy.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPolicyTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:00:00Z");

    private final DeliveryPolicy policy = new DeliveryPolicy(
            new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofSeconds(30)), 0, new Random(1)));

    @Test
    void any2xxSucceeds() {
        assertThat(this.policy.judge(AttemptResult.response(AT, 202, 10, null, ""), 0).state())
            .isEqualTo(DeliveryState.SUCCEEDED);
        assertThat(this.policy.judge(AttemptResult.response(AT, 299, 10, null, ""), 1).state())
            .isEqualTo(DeliveryState.SUCCEEDED);
    }

    @Test
    void aFailureIsRetriedAfterTheScheduledDelayCountedFromItsEnd() {
        Verdict verdict = this.policy.judge(AttemptResult.response(AT, 500, 100, null, ""), 1);
        assertThat(verdict.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(verdict.nextAttemptAt()).isEqualTo(AT.plusMillis(100).plusSeconds(30));
    }

    @Test
    void afterTheLastRetryTheDeliveryIsDead() {
        assertThat(this.policy.judge(AttemptResult.failure(AT, 10, "timeout"), 2).state())
            .isEqualTo(DeliveryState.DEAD);
    }

    @Test
    void retryAfterReplacesTheScheduledDelay() {
        Verdict verdict = this.policy.judge(AttemptResult.response(AT, 429, 0, Duration.ofMinutes(20), ""), 0);
        assertThat(verdict.nextAttemptAt()).isEqualTo(AT.plus(Duration.ofMinutes(20)));
    }

    @Test
    void goneAsksToDisableTheWebhookAndKeepsTheDeliveryForWhenItIsEnabledAgain() {
        Verdict verdict = this.policy.judge(AttemptResult.response(AT, 410, 0, null, ""), 0);
        assertThat(verdict.disableWebhook()).isTrue();
        assertThat(verdict.state()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void redirectsAreFailuresSayingSo() {
        AttemptResult result = AttemptResult.response(AT, 301, 0, null, "");
        assertThat(result.succeeded()).isFalse();
        assertThat(result.error()).contains("redirects are not followed");
    }

}
