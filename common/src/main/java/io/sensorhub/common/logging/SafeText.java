package io.sensorhub.common.logging;

/**
 * Makes text from outside (message ids, routing keys, header values, sensor ids,
 * exception messages that quote them) safe to put in a log line or an AMQP header: the
 * result is printable ASCII only (no line breaks or control characters to forge log
 * lines, no bytes a terminal interprets) and bounded in length, so one hostile value can
 * neither flood a log nor overflow a frame.
 */
public final class SafeText {

    /** What a log line shows of one value from outside, at most. */
    public static final int LOG_LENGTH = 200;

    private static final String CUT = "...";

    private SafeText() {
    }

    /**
     * {@code value} in single quotes, with quotes, backslashes and every character
     * outside printable ASCII escaped ({@code \n}, {@code \t}, {@code \u0000}), cut after
     * {@code maxChars} escaped characters (then ending in {@code ...} before the closing
     * quote); {@code null} for null.
     */
    public static String quote(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        return "'" + escape(value, maxChars, true) + "'";
    }

    /** {@link #quote(String, int)} with {@link #LOG_LENGTH}, for a log argument. */
    public static String quote(String value) {
        return quote(value, LOG_LENGTH);
    }

    /**
     * {@code text} with every character outside printable ASCII escaped (quotes and
     * backslashes are kept, so text that is already safe, such as a {@link #quote}d value
     * inside a sentence, stays as it is), at most {@code maxChars} characters long in all
     * (ending in {@code ...} when cut).
     */
    public static String printable(String text, int maxChars) {
        return escape(String.valueOf(text), maxChars, false);
    }

    /**
     * {@link #printable(String, int)} of a failure's {@code toString()}, for a log line.
     */
    public static String printable(Throwable failure) {
        return printable(String.valueOf(failure), 2 * LOG_LENGTH);
    }

    private static String escape(String value, int maxChars, boolean quoting) {
        int budget = Math.max(0, maxChars - CUT.length());
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 8);
        int lastFitting = 0; // where to cut without splitting an escape, leaving room for
                             // CUT
        for (int i = 0; i < value.length(); i++) {
            out.append(escaped(value.charAt(i), quoting));
            if (out.length() > maxChars) {
                out.setLength(lastFitting);
                return out.append(CUT).toString();
            }
            if (out.length() <= budget) {
                lastFitting = out.length();
            }
        }
        return out.toString();
    }

    private static String escaped(char c, boolean quoting) {
        if (quoting && (c == '\'' || c == '\\')) {
            return "\\" + c;
        }
        if (c >= 0x20 && c < 0x7f) {
            return String.valueOf(c);
        }
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\u%04x", (int) c);
        };
    }

}
