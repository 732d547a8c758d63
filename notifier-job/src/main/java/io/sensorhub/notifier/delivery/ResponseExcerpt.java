package io.sensorhub.notifier.delivery;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The beginning of a receiver's response body as it is stored with the attempt and shown
 * to the client ({@code responseBody}, docs/api.md): the first {@value #MAX_BYTES} bytes
 * received, decoded with the response's charset (UTF-8 when it declares none or one Java
 * does not know). Whatever the receiver sends, the text is safe to store and show:
 * <ul>
 * <li>a malformed byte sequence becomes U+FFFD; one cut by the limit is left out;</li>
 * <li>a control character other than tab, line feed and carriage return becomes U+FFFD
 * (PostgreSQL refuses NUL in text; escape sequences would act on a terminal);</li>
 * <li>the text is at most {@value #MAX_BYTES} bytes in UTF-8, however many replacement
 * characters (three bytes each) it took, and ends between two characters.</li>
 * </ul>
 */
final class ResponseExcerpt {

    /** At most this much of a body is kept, before decoding and after it (in UTF-8). */
    static final int MAX_BYTES = 1024;

    private static final int REPLACEMENT = '\uFFFD';

    private final byte[] bytes = new byte[MAX_BYTES];

    private int length;

    private boolean cut;

    /** Keeps what still fits of the next {@code count} bytes read. */
    void append(byte[] buffer, int count) {
        int kept = Math.min(count, MAX_BYTES - this.length);
        System.arraycopy(buffer, 0, this.bytes, this.length, kept);
        this.length += kept;
        this.cut |= kept < count;
    }

    /**
     * Marks the body as incomplete (it could not be read to its end), so that a sequence
     * it ends in is left out, not replaced.
     */
    void markCut() {
        this.cut = true;
    }

    /** The text kept, decoded with {@code charset} (null: UTF-8). */
    String text(Charset charset) {
        return decode(this.bytes, this.length, this.cut, (charset != null) ? charset : StandardCharsets.UTF_8);
    }

    /**
     * The first {@code length} bytes as safe text; {@code cut} says that more followed,
     * so an incomplete sequence at the end is where the limit fell, not an error.
     */
    static String decode(byte[] bytes, int length, boolean cut, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith("\uFFFD");
        CharBuffer chars = CharBuffer.allocate((int) Math.ceil(length * (double) decoder.maxCharsPerByte()) + 4);
        ByteBuffer input = ByteBuffer.wrap(bytes, 0, Math.min(length, bytes.length));
        decoder.decode(input, chars, !cut);
        if (!cut) {
            decoder.flush(chars);
        }
        chars.flip();
        return bounded(chars);
    }

    /**
     * The characters with control characters replaced, up to {@value #MAX_BYTES} bytes of
     * UTF-8.
     */
    private static String bounded(CharSequence chars) {
        StringBuilder text = new StringBuilder();
        int utf8 = 0;
        for (int i = 0; i < chars.length();) {
            int codePoint = Character.codePointAt(chars, i);
            i += Character.charCount(codePoint);
            int safe = isSafe(codePoint) ? codePoint : REPLACEMENT;
            utf8 += utf8Length(safe);
            if (utf8 > MAX_BYTES) {
                break;
            }
            text.appendCodePoint(safe);
        }
        return text.toString();
    }

    /**
     * Not a control character other than tab and line breaks, nor half of a surrogate
     * pair (which no decoder should give, and PostgreSQL would refuse).
     */
    private static boolean isSafe(int codePoint) {
        if (codePoint == '\t' || codePoint == '\n' || codePoint == '\r') {
            return true;
        }
        return Character.getType(codePoint) != Character.CONTROL
                && !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return (codePoint < 0x10000) ? 3 : 4;
    }

}
