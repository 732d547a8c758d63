package io.sensorhub.common.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Text from outside made safe for logs and headers. */
class SafeTextTest {

    @Test
    void quoteEscapesLineBreaksControlCharactersQuotesAndNonAscii() {
        assertThat(SafeText.quote("a\nb\r\tc\u0000'\\\u00e9")).isEqualTo("'a\\nb\\r\\tc\\u0000\\'\\\\\\u00e9'");
    }

    @Test
    void quoteCutsLongValuesWithoutSplittingAnEscape() {
        assertThat(SafeText.quote("A".repeat(140_000), 10)).isEqualTo("'AAAAAAA...'");
        assertThat(SafeText.quote("AAAAAA\u0000", 10)).isEqualTo("'AAAAAA...'");
        assertThat(SafeText.quote("A".repeat(10), 10)).isEqualTo("'AAAAAAAAAA'");
        assertThat(SafeText.quote(null)).isEqualTo("null");
    }

    @Test
    void printableKeepsQuotedTextAndBoundsTheWhole() {
        String sentence = "sensor " + SafeText.quote("x\ny") + " is not registered";
        assertThat(SafeText.printable(sentence, 100)).isEqualTo(sentence);
        assertThat(SafeText.printable("\u2028".repeat(1000), 64)).hasSizeLessThanOrEqualTo(64)
            .endsWith("...")
            .matches("[\\x20-\\x7e]*");
    }

}
