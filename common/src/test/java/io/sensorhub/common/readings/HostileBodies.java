package io.sensorhub.common.readings;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of reading message bodies, valid and hostile, each with what must
 * become of it: truncated JSON, deep nesting, huge strings, wrong types, NUL and control
 * bytes, invalid UTF-8, numbers out of range, random bytes, oversized messages, sensors
 * that are not registered, and arrays mixing valid and invalid readings. Shared by the
 * parser's fuzz test and the ingest's integration test (test-jar).
 */
public final class HostileBodies {

    /** What a body is meant to exercise. */
    public enum Kind {

        VALID, VALID_ARRAY, MIXED_ARRAY, TRUNCATED, DEEP, HUGE_STRING, WRONG_TYPE, CONTROL_BYTES, BAD_NUMBER,
        RANDOM_BYTES, BAD_UTF8, UNKNOWN_SENSOR, TOO_LARGE

    }

    /**
     * One body.
     *
     * @param kind what it exercises
     * @param bytes the body
     * @param valid the valid readings in it, as {@code sensorId@timestamp}, which must be
     * stored
     * @param deadLetter whether at least one dead letter must come of it
     */
    public record Body(Kind kind, byte[] bytes, List<String> valid, boolean deadLetter) {
    }

    private static final Kind[] KINDS = Kind.values();

    private final Random random;

    private final List<String> sensors;

    private final Instant base;

    private final int maxMessageBytes;

    private long sequence;

    /**
     * @param seed the seed: the same seed gives the same bodies
     * @param sensors registered sensor ids, for the valid readings
     * @param base the timestamp of the first valid reading; the others follow it a
     * millisecond apart, so every valid reading is new (it must be within the accepted
     * time window, and stay so for a million readings)
     * @param maxMessageBytes the size limit, for {@link Kind#TOO_LARGE}
     */
    public HostileBodies(long seed, List<String> sensors, Instant base, int maxMessageBytes) {
        this.random = new Random(seed);
        this.sensors = List.copyOf(sensors);
        this.base = base;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The next body; one in about {@code 1 / tooLargeOdds} is {@link Kind#TOO_LARGE}
     * (they are costly).
     */
    public Body next(int tooLargeOdds) {
        if (this.random.nextInt(tooLargeOdds) == 0) {
            return tooLarge();
        }
        Kind kind = KINDS[this.random.nextInt(KINDS.length - 1)];
        return switch (kind) {
            case VALID -> valid();
            case VALID_ARRAY -> validArray();
            case MIXED_ARRAY -> mixedArray();
            case TRUNCATED -> truncated();
            case DEEP -> invalid(kind, deep());
            case HUGE_STRING -> invalid(kind, reading(json(hugeString()), json(timestamp()), "1"));
            case WRONG_TYPE -> invalid(kind, wrongType());
            case CONTROL_BYTES -> invalid(kind, controlBytes());
            case BAD_NUMBER -> invalid(kind, reading(json(sensor()), json(timestamp()), badNumber()));
            case RANDOM_BYTES -> new Body(kind, randomBytes(), List.of(), true);
            case BAD_UTF8 -> new Body(kind, badUtf8(), List.of(), true);
            case UNKNOWN_SENSOR ->
                invalid(kind, reading(json("nobody-" + this.random.nextInt(1000)), json(timestamp()), "1"));
            case TOO_LARGE -> tooLarge();
        };
    }

    private Body valid() {
        String sensor = sensor();
        String timestamp = timestamp();
        return new Body(Kind.VALID, utf8(reading(json(sensor), json(timestamp), value())),
                List.of(sensor + "@" + timestamp), false);
    }

    private Body validArray() {
        List<String> elements = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 1 + this.random.nextInt(5); i > 0; i--) {
            String sensor = sensor();
            String timestamp = timestamp();
            elements.add(reading(json(sensor), json(timestamp), value()));
            keys.add(sensor + "@" + timestamp);
        }
        return new Body(Kind.VALID_ARRAY, utf8("[" + String.join(",", elements) + "]"), keys, false);
    }

    /**
     * Valid readings and well-formed invalid elements: the valid ones are stored, each
     * invalid one dead-lettered.
     */
    private Body mixedArray() {
        List<String> elements = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 2 + this.random.nextInt(6); i > 0; i--) {
            if (this.random.nextBoolean()) {
                String sensor = sensor();
                String timestamp = timestamp();
                elements.add(reading(json(sensor), json(timestamp), value()));
                keys.add(sensor + "@" + timestamp);
            }
            else {
                elements.add(wrongType());
            }
        }
        elements.add(this.random.nextInt(elements.size() + 1), invalidElement());
        return new Body(Kind.MIXED_ARRAY, utf8("[" + String.join(",", elements) + "]"), keys, true);
    }

    private String invalidElement() {
        return switch (this.random.nextInt(6)) {
            case 0 -> reading(json("bad id"), json(timestamp()), "1");
            case 1 -> reading("\"nul\\u0000\"", json(timestamp()), "1");
            case 2 -> reading(json(sensor()), json(this.base.plusSeconds(86_400).toString()), "1");
            case 3 -> reading(json(sensor()), json(this.base.minusSeconds(400L * 86_400).toString()), "1");
            case 4 -> "[" + this.random.nextInt() + "]";
            default -> reading(json(sensor()), json(timestamp()), "1e400");
        };
    }

    /** A strict prefix of a valid body: never valid JSON. */
    private Body truncated() {
        byte[] whole = (this.random.nextBoolean() ? valid() : validArray()).bytes();
        byte[] cut = new byte[this.random.nextInt(whole.length)];
        System.arraycopy(whole, 0, cut, 0, cut.length);
        return new Body(Kind.TRUNCATED, cut, List.of(), true);
    }

    private String deep() {
        int depth = 33 + (int) Math.pow(10, this.random.nextDouble() * 4);
        String open = this.random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        StringBuilder body = new StringBuilder(open.repeat(depth));
        if (this.random.nextBoolean()) {
            body.append("1").append(close.repeat(depth));
        }
        return body.toString();
    }

    private String hugeString() {
        int length = 65 + (int) Math.pow(10, this.random.nextDouble() * 5.3);
        return String.valueOf((char) ('A' + this.random.nextInt(26))).repeat(length);
    }

    /** One field of the wrong type (or null where that is not allowed). */
    private String wrongType() {
        String[] wrong = { "7", "{}", "[]", "true", "\"\"", "-0.5", "{\"x\":[1,2]}", "null" };
        String bad = wrong[this.random.nextInt(wrong.length)];
        String sensor = json(sensor());
        return switch (this.random.nextInt(4)) {
            case 0 -> reading(bad, json(timestamp()), "1");
            case 1 -> reading(sensor, bad, "1");
            case 2 -> reading(sensor, json(timestamp()), bad.matches("[-0-9.]+") ? "\"" + bad + "\"" : bad);
            default -> reading(sensor, json(timestamp()), "1").replace("}",
                    ",\"status\":" + (bad.equals("null") ? "\"ok\"" : bad) + "}");
        };
    }

    /**
     * A control character in a string: raw (not allowed in JSON) or escaped (in the
     * sensor id).
     */
    private String controlBytes() {
        char control = (char) this.random.nextInt(0x20);
        if (this.random.nextBoolean()) {
            return reading("\"ab" + control + "cd\"", json(timestamp()), "1");
        }
        return reading(String.format("\"ab\\u%04xcd\"", (int) control), json(timestamp()), "1");
    }

    private String badNumber() {
        String[] numbers = { "1e400", "-1e999", "9".repeat(101 + this.random.nextInt(1000)), "NaN", "Infinity",
                "-Infinity", "0x10", "0001", "1.", ".5", "1e", "--1", "+1" };
        return numbers[this.random.nextInt(numbers.length)];
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[this.random.nextInt(2000)];
        this.random.nextBytes(bytes);
        return bytes;
    }

    private byte[] badUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] good = utf8(reading(json(sensor()), json(timestamp()), "1"));
        int at = 15;
        out.write(good, 0, at);
        byte[][] bad = { { (byte) 0xC3, 0x28 }, { (byte) 0xFF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                { (byte) 0xE2, (byte) 0x82 } };
        out.writeBytes(bad[this.random.nextInt(bad.length)]);
        out.write(good, at, good.length - at);
        return out.toByteArray();
    }

    private Body tooLarge() {
        String reading = reading(json(sensor()), json(timestamp()), "1");
        String padded = reading.replace("}", ",\"pad\":\"" + "p".repeat(this.maxMessageBytes) + "\"}");
        return new Body(Kind.TOO_LARGE, utf8(padded), List.of(), true);
    }

    private Body invalid(Kind kind, String body) {
        return new Body(kind, utf8(body), List.of(), true);
    }

    private String sensor() {
        return this.sensors.get(this.random.nextInt(this.sensors.size()));
    }

    private String timestamp() {
        return this.base.plusMillis(this.sequence++).toString();
    }

    private String value() {
        return switch (this.random.nextInt(4)) {
            case 0 -> Integer.toString(this.random.nextInt(200) - 50);
            case 1 -> Double.toString(this.random.nextGaussian() * 1e6);
            case 2 -> "1e300";
            default -> Double.toString(this.random.nextDouble() * 100);
        };
    }

    /** A reading object of these JSON literals. */
    private static String reading(String sensorId, String timestamp, String value) {
        return "{\"sensorId\":" + sensorId + ",\"timestamp\":" + timestamp + ",\"value\":" + value + "}";
    }

    private static String json(String text) {
        return "\"" + text + "\"";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
