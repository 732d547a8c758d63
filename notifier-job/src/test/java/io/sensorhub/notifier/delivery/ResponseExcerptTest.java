package io.sensorhub.notifier.delivery;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseExcerptTest {

    private static final String REPLACEMENT = "\uFFFD";

    @Test
    void aShortBodyIsKeptAsItIs() {
        String body = "{\"error\": \"maintenance\",\n\t\"retry\": true}\r\n";
        assertThat(excerptOf(utf8(body), null)).isEqualTo(body);
        assertThat(excerptOf(new byte[0], null)).isEmpty();
    }

    @Test
    void onlyTheFirstKibibyteOfA64KibBodyIsKept() {
        byte[] body = utf8("x".repeat(64 * 1024));
        String text = excerptOf(body, null);
        assertThat(text).isEqualTo("x".repeat(ResponseExcerpt.MAX_BYTES));
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        byte[] body = { 'a', (byte) 0xff, 'b', (byte) 0xc3, '(', (byte) 0xed, (byte) 0xa0, (byte) 0x80, 'c' };
        String text = excerptOf(body, null);
        assertThat(text).startsWith("a" + REPLACEMENT + "b" + REPLACEMENT + "(").endsWith("c");
        assertThat(text).doesNotContain("\u00ff").matches("[a-c(\uFFFD]+");
    }

    @Test
    void aCharacterCutByTheLimitIsLeftOutNotReplaced() {
        byte[] body = utf8("a".repeat(ResponseExcerpt.MAX_BYTES - 1) + "é and more");
        assertThat(excerptOf(body, null)).isEqualTo("a".repeat(ResponseExcerpt.MAX_BYTES - 1));
    }

    @Test
    void aBodyThatStoppedArrivingMidCharacterLosesOnlyThatCharacter() {
        ResponseExcerpt excerpt = new ResponseExcerpt();
        byte[] partial = { 'o', 'k', (byte) 0xe2, (byte) 0x82 };
        excerpt.append(partial, partial.length);
        excerpt.markCut();
        assertThat(excerpt.text(null)).isEqualTo("ok");
    }

    @Test
    void aCompleteBodyEndingMidCharacterEndsInAReplacementCharacter() {
        assertThat(excerptOf(new byte[] { 'o', 'k', (byte) 0xe2, (byte) 0x82 }, null)).isEqualTo("ok" + REPLACEMENT);
    }

    @Test
    void controlCharactersBecomeReplacementCharactersButTabAndLineBreaksStay() {
        String body = "nul\u0000esc\u001b[31mdel\u007fc1\u0085csi\u009bok\t\r\n";
        assertThat(excerptOf(utf8(body), null)).isEqualTo("nul" + REPLACEMENT + "esc" + REPLACEMENT + "[31mdel"
                + REPLACEMENT + "c1" + REPLACEMENT + "csi" + REPLACEMENT + "ok\t\r\n");
    }

    @Test
    void replacementCharactersNeverTakeTheTextPastTheLimitInUtf8() {
        byte[] body = new byte[64 * 1024];
        Arrays.fill(body, (byte) 0xff);
        String text = excerptOf(body, null);
        assertThat(text).matches("\uFFFD+");
        assertThat(utf8(text).length).isLessThanOrEqualTo(ResponseExcerpt.MAX_BYTES)
            .isGreaterThan(ResponseExcerpt.MAX_BYTES - 3);
    }

    @Test
    void theDeclaredCharsetIsUsed() {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(excerptOf(latin1, StandardCharsets.ISO_8859_1)).isEqualTo("café");
        assertThat(excerptOf(latin1, null)).isEqualTo("caf" + REPLACEMENT);
        byte[] utf16 = "hi €".getBytes(StandardCharsets.UTF_16BE);
        assertThat(excerptOf(utf16, StandardCharsets.UTF_16BE)).isEqualTo("hi €");
    }

    @Test
    void charactersOutsideTheBasicPlaneAreKeptWhole() {
        String emoji = "\uD83D\uDE00";
        String body = "a".repeat(ResponseExcerpt.MAX_BYTES - 6) + emoji + emoji;
        assertThat(excerptOf(utf8(body), null)).isEqualTo("a".repeat(ResponseExcerpt.MAX_BYTES - 6) + emoji);
    }

    /**
     * Random bytes in any amount, read in chunks of any size, under any of these
     * charsets: the text is always within the limit, and holds no control character but
     * tab and line breaks and no half of a surrogate pair.
     */
    @Test
    void whateverIsSentTheTextIsBoundedAndSafe() {
        Random random = new Random(14);
        List<Charset> charsets = Arrays.asList(null, StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
                StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("UTF-32"),
                Charset.forName("Shift_JIS"), Charset.forName("ISO-2022-JP"), Charset.forName("GB18030"));
        for (int run = 0; run < 2000; run++) {
            byte[] body = new byte[random.nextInt(3 * ResponseExcerpt.MAX_BYTES)];
            random.nextBytes(body);
            Charset charset = charsets.get(random.nextInt(charsets.size()));
            ResponseExcerpt excerpt = new ResponseExcerpt();
            for (int offset = 0; offset < body.length;) {
                int count = Math.min(body.length - offset, 1 + random.nextInt(700));
                excerpt.append(Arrays.copyOfRange(body, offset, offset + count), count);
                offset += count;
            }
            String text = excerpt.text(charset);
            assertThat(utf8(text).length).as("run %d, %s", run, charset).isLessThanOrEqualTo(ResponseExcerpt.MAX_BYTES);
            assertThat(text.codePoints()
                .filter(c -> (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r')
                        || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)))
                .as("run %d, %s", run, charset)
                .isEmpty();
        }
    }

    private static String excerptOf(byte[] body, Charset charset) {
        ResponseExcerpt excerpt = new ResponseExcerpt();
        for (int offset = 0; offset < body.length; offset += 8192) {
            int count = Math.min(8192, body.length - offset);
            excerpt.append(Arrays.copyOfRange(body, offset, offset + count), count);
        }
        return excerpt.text(charset);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
