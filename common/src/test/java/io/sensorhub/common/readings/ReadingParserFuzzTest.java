package io.sensorhub.common.readings;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.sensorhub.common.readings.HostileBodies.Body;
import io.sensorhub.common.readings.HostileBodies.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The parser against 100,000 generated bodies, valid and hostile (a fixed seed, so a
 * failure reproduces): it never throws, it answers every valid reading and rejects every
 * invalid part, and every rejection's header is printable ASCII within the 1 KiB of
 * docs/ingest.md.
 */
class ReadingParserFuzzTest {

    private static final int BODIES = 100_000;

    private static final long SEED = 20261202L;

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private final ReadingParser parser = new ReadingParser(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
            Duration.ofDays(30));

    @Test
    void neverThrowsAndAnswersWhatEachBodyHolds() {
        HostileBodies bodies = new HostileBodies(SEED, List.of("a", "boiler-7", "x.y:z_1-2", "s".repeat(64)),
                NOW.minus(Duration.ofHours(1)), ReadingLimits.DEFAULTS.maxMessageBytes());
        Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        for (int i = 0; i < BODIES; i++) {
            Body body = bodies.next(5000);
            ParsedMessage parsed;
            try {
                parsed = this.parser.parse(body.bytes());
            }
            catch (RuntimeException | StackOverflowError ex) {
                throw new AssertionError("body " + i + " (" + body.kind() + ") threw: " + preview(body), ex);
            }
            check(i, body, parsed);
            seen.merge(body.kind(), 1, Integer::sum);
        }
        assertThat(seen).as("every kind generated").hasSize(Kind.values().length);
    }

    private static void check(int i, Body body, ParsedMessage parsed) {
        Supplier<String> what = () -> "body " + i + " (" + body.kind() + "): " + preview(body);
        List<String> keys = parsed.readings()
            .stream()
            .map(reading -> reading.sensorId() + "@" + reading.timestamp())
            .toList();
        if (body.kind() == Kind.UNKNOWN_SENSOR) {
            assertThat(parsed.readings()).as(what).hasSize(1);
        }
        else {
            assertThat(keys).as(what).isEqualTo(body.valid());
        }
        boolean rejected = body.deadLetter() && body.kind() != Kind.UNKNOWN_SENSOR;
        if (rejected != !parsed.rejections().isEmpty()) {
            fail(what + " expected " + (rejected ? "a rejection" : "no rejection") + " but got " + parsed.rejections());
        }
        for (Rejection rejection : parsed.rejections()) {
            assertThat(rejection.header()).as(what)
                .hasSizeLessThanOrEqualTo(Rejection.MAX_HEADER_LENGTH)
                .matches("[\\x20-\\x7e]*");
            assertThat(rejection.body()).as(what).isNotNull();
        }
    }

    private static String preview(Body body) {
        String text = new String(body.bytes(), StandardCharsets.UTF_8);
        return (text.length() > 300) ? text.substring(0, 300) + "... (" + body.bytes().length + " bytes)" : text;
    }

}
