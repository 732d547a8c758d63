package io.sensorhub.common.logging;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationTest {

    @Test
    void aReadingIsNamedBySensorAndTimestampInMicrosecondsAsPostgresStoresIt() {
        assertThat(Correlation.ofReading("boiler-7", Instant.parse("2026-11-29T10:00:00Z")))
            .isEqualTo("boiler-7@2026-11-29T10:00:00.000000Z");
        assertThat(Correlation.ofReading("b", Instant.parse("2026-11-29T10:00:00.123456500Z")))
            .isEqualTo("b@2026-11-29T10:00:00.123457Z");
        assertThat(Correlation.ofReading("b", Instant.parse("2026-11-29T10:00:00.123456499Z")))
            .isEqualTo("b@2026-11-29T10:00:00.123456Z");
    }

    @Test
    void aSafeSuppliedIdIsKeptAnythingElseReplaced() {
        assertThat(Correlation.acceptOrCreate("req-42_a.b:c@d")).isEqualTo("req-42_a.b:c@d");
        for (String unsafe : new String[] { null, "", "has space", "line\nbreak", "x".repeat(129), "quote\"" }) {
            assertThat(UUID.fromString(Correlation.acceptOrCreate(unsafe))).as(String.valueOf(unsafe)).isNotNull();
        }
    }

    @Test
    void anOpenedIdIsCurrentUntilClosed() {
        try (var scope = Correlation.open("abc")) {
            assertThat(Correlation.current()).contains("abc");
        }
        assertThat(Correlation.current()).isEmpty();
    }

}
