package io.sensorhub.notifier.delivery;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptResultTest {

    @Test
    void anErrorKeepsPrintableAsciiAndEscapesEverythingElse() {
        String error = AttemptResult.failure(Instant.EPOCH, 0, "bad\r\nforged: \u001b[31m\u0085\u00ff\u202e\\ end")
            .error();

        assertThat(error).isEqualTo("bad\\u000d\\u000aforged: \\u001b[31m\\u0085\\u00ff\\u202e\\ end");
    }

    @Test
    void aLongErrorIsCutBetweenEscapesAndSaysSo() {
        String error = AttemptResult.failure(Instant.EPOCH, 0, "a".repeat(495) + "\u0000" + "b".repeat(10)).error();

        assertThat(error).hasSizeLessThanOrEqualTo(AttemptResult.MAX_ERROR_LENGTH).isEqualTo("a".repeat(495) + "...");
    }

    @Test
    void anErrorThatFitsIsKeptWhole() {
        String exactly = "x".repeat(AttemptResult.MAX_ERROR_LENGTH);

        assertThat(AttemptResult.failure(Instant.EPOCH, 0, exactly).error()).isEqualTo(exactly);
        assertThat(AttemptResult.failure(Instant.EPOCH, 0, null).error()).isNull();
    }

}
