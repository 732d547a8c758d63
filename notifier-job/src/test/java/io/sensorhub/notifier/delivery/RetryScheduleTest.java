package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTest {

    private static final List<Duration> DEFAULT_SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(16), Duration.ofHours(24));

    @Test
    void eachRetryWaitsItsDelayWithinTwentyPercentJitter() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT_SCHEDULE, 0.2, new Random(7));
        for (int failures = 1; failures <= DEFAULT_SCHEDULE.size(); failures++) {
            Duration base = DEFAULT_SCHEDULE.get(failures - 1);
            for (int sample = 0; sample < 200; sample++) {
                assertThat(schedule.delayAfter(failures)).hasValueSatisfying(delay -> assertThat(delay)
                    .isBetween(base.multipliedBy(8).dividedBy(10), base.multipliedBy(12).dividedBy(10)));
            }
        }
    }

    @Test
    void jitterSpreadsRetries() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT_SCHEDULE, 0.2, new Random(7));
        assertThat(java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> schedule.delayAfter(1).orElseThrow())
            .distinct()
            .count()).isGreaterThan(40);
    }

    @Test
    void afterTheLastDelayThereIsNoRetry() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT_SCHEDULE, 0.2, new Random(7));
        assertThat(schedule.delayAfter(DEFAULT_SCHEDULE.size() + 1)).isEmpty();
        assertThat(schedule.retries()).isEqualTo(11);
    }

    @Test
    void withoutJitterTheDelayIsExact() {
        RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofMillis(300)), 0, new Random(7));
        assertThat(schedule.delayAfter(1)).contains(Duration.ofMillis(300));
    }

}
