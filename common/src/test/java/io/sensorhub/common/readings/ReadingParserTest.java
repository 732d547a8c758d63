package io.sensorhub.common.readings;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import io.sensorhub.common.status.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Parsing and validation of reading messages (docs/ingest.md). */
class ReadingParserTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private final ReadingParser parser = new ReadingParser(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
            Duration.ofDays(30));

    private ParsedMessage parse(String body) {
        return this.parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void singleReadingWithOffsetIsNormalisedToUtcMicroseconds() {
        ParsedMessage parsed = parse("""
                {"sensorId":"boiler-7","timestamp":"2026-11-29T11:59:00.1234567+02:00","value":42.5,"extra":true}""");
        assertThat(parsed.rejections()).isEmpty();
        assertThat(parsed.readings())
            .containsExactly(new Reading("boiler-7", Instant.parse("2026-11-29T09:59:00.123456Z"), 42.5, null));
    }

    @Test
    void statusWithoutValueIsAccepted() {
        ParsedMessage parsed = parse(
                "{\"sensorId\":\"s\",\"timestamp\":\"2026-11-29T09:00:00Z\",\"status\":\"FAULT\"}");
        assertThat(parsed.readings()).singleElement().satisfies(reading -> {
            assertThat(reading.value()).isNull();
            assertThat(reading.reportedStatus()).isEqualTo(Status.FAULT);
        });
    }

    @Test
    void arrayKeepsValidReadingsAndRejectsEachInvalidOneOnItsOwn() {
        ParsedMessage parsed = parse("""
                [{"sensorId":"a","timestamp":"2026-11-29T09:00:00Z","value":1},
                 {"sensorId":"b","timestamp":"yesterday","value":2},
                 7,
                 {"sensorId":"c","timestamp":"2026-11-29T09:00:00Z","value":3}]""");
        assertThat(parsed.readings()).extracting(Reading::sensorId).containsExactly("a", "c");
        assertThat(parsed.rejections()).extracting(Rejection::reason)
            .containsExactly(RejectReason.INVALID_TIMESTAMP, RejectReason.NOT_AN_OBJECT);
        assertThat(new String(parsed.rejections().get(0).body(), StandardCharsets.UTF_8)).contains("\"b\"");
        assertThat(new String(parsed.rejections().get(1).body(), StandardCharsets.UTF_8)).isEqualTo("7");
    }

    static Stream<Arguments> invalidMessages() {
        String ts = "\"timestamp\":\"2026-11-29T09:00:00Z\"";
        return Stream.of(arguments("{nope", RejectReason.MALFORMED_JSON), arguments("", RejectReason.MALFORMED_JSON),
                arguments("{\"sensorId\":\"a\"} trailing", RejectReason.MALFORMED_JSON),
                arguments("[]", RejectReason.INVALID_BODY), arguments("\"text\"", RejectReason.INVALID_BODY),
                arguments("42", RejectReason.INVALID_BODY),
                arguments("[" + "1,".repeat(1000) + "1]", RejectReason.INVALID_BODY),
                arguments("{" + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":7," + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":\" \"," + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":\"\"," + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":\"a\\u0000b\"," + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":\"" + "a".repeat(65) + "\"," + ts + ",\"value\":1}",
                        RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":\"a/b\"," + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("{\"sensorId\":\"caf\u00e9\"," + ts + ",\"value\":1}", RejectReason.INVALID_SENSOR_ID),
                arguments("[".repeat(33) + "]".repeat(33), RejectReason.MALFORMED_JSON),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":" + "9".repeat(101) + "}",
                        RejectReason.MALFORMED_JSON),
                arguments("{\"sensorId\":\"" + "a".repeat(65_537) + "\"}", RejectReason.MALFORMED_JSON),
                arguments("{\"sensorId\":\"a\",\"value\":1}", RejectReason.INVALID_TIMESTAMP),
                arguments("{\"sensorId\":\"a\",\"timestamp\":\"2026-11-29T09:00:00\",\"value\":1}",
                        RejectReason.INVALID_TIMESTAMP),
                arguments("{\"sensorId\":\"a\",\"timestamp\":1764406800,\"value\":1}", RejectReason.INVALID_TIMESTAMP),
                arguments("{\"sensorId\":\"a\",\"timestamp\":\"2026-11-29T10:05:00.001Z\",\"value\":1}",
                        RejectReason.TIMESTAMP_IN_FUTURE),
                arguments("{\"sensorId\":\"a\",\"timestamp\":\"2026-10-30T09:59:59Z\",\"value\":1}",
                        RejectReason.TIMESTAMP_TOO_OLD),
                arguments("{\"sensorId\":\"a\"," + ts + "}", RejectReason.INVALID_VALUE),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":null}", RejectReason.INVALID_VALUE),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":\"1\"}", RejectReason.INVALID_VALUE),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":1e400}", RejectReason.INVALID_VALUE),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":1,\"status\":\"OFFLINE\"}",
                        RejectReason.INVALID_STATUS),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":1,\"status\":\"ok\"}", RejectReason.INVALID_STATUS),
                arguments("{\"sensorId\":\"a\"," + ts + ",\"value\":1,\"status\":1}", RejectReason.INVALID_STATUS));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource
    void invalidMessages(String body, RejectReason reason) {
        ParsedMessage parsed = parse(body);
        assertThat(parsed.readings()).isEmpty();
        assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(reason);
            assertThat(rejection.header()).startsWith(reason.code() + ": ");
        });
    }

    @Test
    void aMessageOverTheSizeLimitIsRejectedUnparsed() {
        ReadingParser small = new ReadingParser(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5),
                Duration.ofDays(30), new ReadingLimits(100, 32, 64, 32));
        String body = "{\"sensorId\":\"a\",\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1,\"pad\":\""
                + "p".repeat(31) + "\"}";
        assertThat(small.parse(body.getBytes(StandardCharsets.UTF_8)).rejections()).singleElement()
            .satisfies(rejection -> {
                assertThat(rejection.header()).isEqualTo("too-large: message is 101 bytes, more than the limit of 100");
                assertThat(rejection.body()).hasSize(101);
            });
        assertThat(small.parse(body.substring(1).getBytes(StandardCharsets.UTF_8)).rejections()).singleElement()
            .extracting(Rejection::reason)
            .isEqualTo(RejectReason.MALFORMED_JSON);
    }

    @Test
    void aHugeSensorIdIsQuotedShortAndEscapedInTheHeader() {
        ParsedMessage parsed = parse(
                "{\"sensorId\":\"" + "A".repeat(60_000) + "\\n\",\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1}");
        assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.header())
                .startsWith("invalid-sensor-id: sensorId must match [A-Za-z0-9._:-]{1,64}, not 'AAAA")
                .endsWith("...'")
                .hasSizeLessThan(200);
        });
    }

    @Test
    void boundariesOfTheAcceptedTimeWindowAreInclusive() {
        assertThat(parse("{\"sensorId\":\"a\",\"timestamp\":\"2026-11-29T10:05:00Z\",\"value\":1}").readings())
            .hasSize(1);
        assertThat(parse("{\"sensorId\":\"a\",\"timestamp\":\"2026-10-30T10:00:00Z\",\"value\":1}").readings())
            .hasSize(1);
    }

    @Test
    void sensorIdsOfTheFullPatternAreAccepted() {
        String id = "Az09._:-" + "x".repeat(56);
        assertThat(parse("{\"sensorId\":\"" + id + "\",\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1}").readings())
            .extracting(Reading::sensorId)
            .containsExactly(id);
    }

    @Test
    void aThousandReadingsAreAccepted() {
        String one = "{\"sensorId\":\"a\",\"timestamp\":\"2026-11-29T09:00:00Z\",\"value\":1}";
        String body = "[" + String.join(",", java.util.Collections.nCopies(1000, one)) + "]";
        assertThat(parse(body).readings()).hasSize(1000);
    }

}
