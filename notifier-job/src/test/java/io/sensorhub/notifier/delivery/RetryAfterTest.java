package io.sensorhub.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void secondsOnA429Or503AreHonoured() {
        assertThat(RetryAfter.of(429, "120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.of(503, " 7 ", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void anHttpDateIsHonoured() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(RetryAfter.of(503, date, NOW)).contains(Duration.ofSeconds(90));
    }

    @Test
    void longerThanAnHourIsCappedAtAnHour() {
        assertThat(RetryAfter.of(429, "86400", NOW)).contains(Duration.ofHours(1));
        assertThat(RetryAfter.of(429, "99999999999999999999999", NOW)).contains(Duration.ofHours(1));
    }

    @Test
    void otherStatusesGarbageAndThePastAreNotAWait() {
        assertThat(RetryAfter.of(500, "10", NOW)).isEmpty();
        assertThat(RetryAfter.of(429, "soon", NOW)).isEmpty();
        assertThat(RetryAfter.of(429, null, NOW)).isEmpty();
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(RetryAfter.of(503, past, NOW)).contains(Duration.ZERO);
    }

}
