package io.sensorhub.common.readings;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.sensorhub.common.logging.SafeText;
import io.sensorhub.common.status.Status;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates a reading message (docs/ingest.md): one reading object or an array
 * of 1 to {@value #MAX_READINGS} of them. Validation is explicit here because AMQP
 * payloads bypass MVC validation; whether a sensor is registered is checked later,
 * against the database. Thread-safe.
 * <p>
 * Hostile input is bounded before it costs anything: a body over
 * {@link ReadingLimits#maxMessageBytes()} is not parsed, the JSON parser stops at the
 * depth and string and number lengths of {@link ReadingLimits}, and a {@code sensorId}
 * outside {@link #SENSOR_ID_PATTERN} never reaches the database (PostgreSQL refuses a NUL
 * byte, which would fail the whole batch). Whatever the bytes, {@link #parse} answers a
 * {@link ParsedMessage}.
 */
public class ReadingParser {

    /** The most readings one message may carry. */
    public static final int MAX_READINGS = 1000;

    /** What a sensor id may be (docs/api.md, sensors), checked in every reading. */
    public static final String SENSOR_ID_PATTERN = "[A-Za-z0-9._:-]{1,64}";

    private static final Pattern SENSOR_ID = Pattern.compile(SENSOR_ID_PATTERN);

    private final JsonMapper json;

    private final int maxMessageBytes;

    private final Clock clock;

    private final Duration maxFutureSkew;

    private final Duration retention;

    /**
     * @param clock the server clock timestamps are checked against
     * @param maxFutureSkew how far ahead of the clock a timestamp may be
     * @param retention how old a timestamp may be
     */
    public ReadingParser(Clock clock, Duration maxFutureSkew, Duration retention) {
        this(clock, maxFutureSkew, retention, ReadingLimits.DEFAULTS);
    }

    /**
     * @param clock the server clock timestamps are checked against
     * @param maxFutureSkew how far ahead of the clock a timestamp may be
     * @param retention how old a timestamp may be
     * @param limits how large a message and the JSON in it may be
     */
    public ReadingParser(Clock clock, Duration maxFutureSkew, Duration retention, ReadingLimits limits) {
        this.json = jsonMapper(limits);
        this.maxMessageBytes = limits.maxMessageBytes();
        this.clock = clock;
        this.maxFutureSkew = maxFutureSkew;
        this.retention = retention;
    }

    private static JsonMapper jsonMapper(ReadingLimits limits) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxDocumentLength(limits.maxMessageBytes())
            .maxNestingDepth(limits.maxDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxNumberLength(limits.maxNumberLength())
            .build();
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    }

    /** The readings and rejections of one message body. Never throws. */
    public ParsedMessage parse(byte[] body) {
        if (body.length > this.maxMessageBytes) {
            return ParsedMessage.rejected(new Rejection(RejectReason.TOO_LARGE,
                    "message is " + body.length + " bytes, more than the limit of " + this.maxMessageBytes, body));
        }
        JsonNode root;
        try {
            root = this.json.readTree(body);
        }
        catch (StreamConstraintsException ex) {
            return ParsedMessage.rejected(new Rejection(RejectReason.MALFORMED_JSON,
                    "body breaks a JSON limit: " + SafeText.printable(ex.getOriginalMessage(), 200), body));
        }
        catch (JacksonException | IllegalArgumentException ex) {
            return ParsedMessage.rejected(new Rejection(RejectReason.MALFORMED_JSON, "body is not valid JSON", body));
        }
        if (root == null || root.isMissingNode()) {
            return ParsedMessage.rejected(new Rejection(RejectReason.MALFORMED_JSON, "body is empty", body));
        }
        if (root.isObject()) {
            return parseAll(List.of(root), body);
        }
        if (root.isArray() && !root.isEmpty() && root.size() <= MAX_READINGS) {
            return parseAll(root.values(), null);
        }
        return ParsedMessage.rejected(new Rejection(RejectReason.INVALID_BODY,
                "body must be a reading object or an array of 1 to " + MAX_READINGS + " reading objects", body));
    }

    private ParsedMessage parseAll(Iterable<JsonNode> nodes, byte[] wholeBody) {
        Instant now = this.clock.instant();
        List<Reading> readings = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        for (JsonNode node : nodes) {
            try {
                readings.add(reading(node, now));
            }
            catch (Invalid invalid) {
                byte[] body = (wholeBody != null) ? wholeBody : node.toString().getBytes(StandardCharsets.UTF_8);
                rejections.add(new Rejection(invalid.reason, invalid.getMessage(), body));
            }
        }
        return new ParsedMessage(readings, rejections);
    }

    private Reading reading(JsonNode node, Instant now) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid(RejectReason.NOT_AN_OBJECT, "array element is not a reading object");
        }
        String sensorId = sensorId(node.get("sensorId"));
        Instant timestamp = timestamp(node.get("timestamp"), now);
        Status status = status(node.get("status"));
        Double value = value(node.get("value"), status != null);
        return new Reading(sensorId, timestamp, value, status);
    }

    private static String sensorId(JsonNode node) throws Invalid {
        if (node == null || !node.isString()) {
            throw new Invalid(RejectReason.INVALID_SENSOR_ID, "sensorId is required and must be a string");
        }
        String sensorId = node.stringValue();
        if (!SENSOR_ID.matcher(sensorId).matches()) {
            throw new Invalid(RejectReason.INVALID_SENSOR_ID,
                    "sensorId must match " + SENSOR_ID_PATTERN + ", not " + SafeText.quote(sensorId, 80));
        }
        return sensorId;
    }

    private Instant timestamp(JsonNode node, Instant now) throws Invalid {
        Instant timestamp = parseTimestamp(node);
        if (timestamp.isAfter(now.plus(this.maxFutureSkew))) {
            throw new Invalid(RejectReason.TIMESTAMP_IN_FUTURE,
                    "timestamp is more than " + this.maxFutureSkew + " ahead of the server clock");
        }
        if (timestamp.isBefore(now.minus(this.retention))) {
            throw new Invalid(RejectReason.TIMESTAMP_TOO_OLD,
                    "timestamp is older than the retention of " + this.retention);
        }
        return timestamp;
    }

    private static Instant parseTimestamp(JsonNode node) throws Invalid {
        if (node == null || !node.isString()) {
            throw new Invalid(RejectReason.INVALID_TIMESTAMP, "timestamp is required and must be an RFC 3339 string");
        }
        try {
            return OffsetDateTime.parse(node.stringValue()).toInstant().truncatedTo(ChronoUnit.MICROS);
        }
        catch (DateTimeParseException ex) {
            throw new Invalid(RejectReason.INVALID_TIMESTAMP, "timestamp must be RFC 3339 with an offset");
        }
    }

    private static Status status(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            for (Status status : Status.values()) {
                if (status.reportable() && status.name().equals(node.stringValue())) {
                    return status;
                }
            }
        }
        throw new Invalid(RejectReason.INVALID_STATUS, "status must be one of OK, WARNING, CRITICAL, FAULT");
    }

    private static Double value(JsonNode node, boolean statusGiven) throws Invalid {
        if (node == null || node.isNull()) {
            if (statusGiven) {
                return null;
            }
            throw new Invalid(RejectReason.INVALID_VALUE, "value is required unless status is given");
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw new Invalid(RejectReason.INVALID_VALUE, "value must be a finite number");
        }
        return node.doubleValue();
    }

    /** A broken rule; control flow inside the parser only. */
    private static final class Invalid extends Exception {

        private final RejectReason reason;

        Invalid(RejectReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

    }

}
