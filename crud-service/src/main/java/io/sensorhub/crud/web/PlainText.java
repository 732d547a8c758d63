package io.sensorhub.crud.web;

/**
 * What text a client may store: no control characters (C0, DEL, C1), which PostgreSQL
 * refuses (NUL) or which break the logs and pages that show the text. A multi-line text
 * (a description) may also hold tab and line breaks. The patterns are single character
 * classes, so matching a long value never recurses.
 */
public final class PlainText {

    /** For {@code @Pattern}: one line of text. */
    public static final String SINGLE_LINE = "[^\\x00-\\x1F\\x7F-\\x9F]*";

    /** For {@code @Pattern}: text with tabs and line breaks. */
    public static final String MULTI_LINE = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*";

    public static final String MESSAGE = "must not contain control characters";

    private PlainText() {
    }

    /** Whether {@code text} is one line of plain text ({@link #SINGLE_LINE}). */
    public static boolean isSingleLine(String text) {
        return text.chars().noneMatch(PlainText::isControl);
    }

    private static boolean isControl(int c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
    }

    /**
     * A 400 on the named query parameter unless it is one line of plain text;
     * {@code null} passes.
     */
    public static String requireSingleLine(String parameter, String value) {
        if (value != null && !isSingleLine(value)) {
            throw new InvalidInputException(parameter, MESSAGE);
        }
        return value;
    }

}
