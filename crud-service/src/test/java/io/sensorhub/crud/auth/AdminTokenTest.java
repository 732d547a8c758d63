package io.sensorhub.crud.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenTest {

    private static final String CONFIGURED = "configured-admin-token-4f9c2e7a1b8d";

    private static final Pattern GENERATED = Pattern.compile("Using generated admin token: (\\S+)");

    @Test
    void aConfiguredTokenIsUsedAndNeverPrinted(CapturedOutput output) {
        AdminToken token = new AdminToken(new AuthProperties(CONFIGURED));
        assertThat(token.matches(Tokens.hash(CONFIGURED))).isTrue();
        assertThat(token.matches(Tokens.hash(CONFIGURED + "x"))).isFalse();
        assertThat(output.getAll()).doesNotContain(CONFIGURED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "change-me-to-a-long-random-token", "CHANGEME_changeme_CHANGEME_changeme",
            "replace-me-with-a-random-admin-token-please", "example-admin-token-0123456789abcdef",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" })
    void aPlaceholderTokenStopsTheStartWithoutBeingQuoted(String placeholder) {
        assertThatIllegalStateException().isThrownBy(() -> new AdminToken(new AuthProperties(placeholder)))
            .withMessageContaining("sensorhub.admin-token is a placeholder")
            .withMessageNotContaining(placeholder);
    }

    @ParameterizedTest
    @ValueSource(strings = { "changeme", "hunter2", "s3cr3t-but-only-31-characters-x", "sh_abc" })
    void aShortTokenStopsTheStartWithoutBeingQuoted(String shortToken) {
        assertThatIllegalStateException().isThrownBy(() -> new AdminToken(new AuthProperties(shortToken)))
            .withMessageContaining("sensorhub.admin-token is too short")
            .withMessageContaining("at least 32 characters")
            .withMessageNotContaining(shortToken);
    }

    @Test
    void withoutOneARandomTokenIsGeneratedAndPrintedOnce(CapturedOutput output) {
        AdminToken first = new AdminToken(new AuthProperties(null));
        Matcher matcher = GENERATED.matcher(output.getAll());
        assertThat(matcher.find()).isTrue();
        String printed = matcher.group(1);
        assertThat(matcher.find()).isFalse();
        assertThat(first.matches(Tokens.hash(printed))).isTrue();
        assertThat(printed).hasSizeGreaterThanOrEqualTo(43);
        AdminToken second = new AdminToken(new AuthProperties(" "));
        assertThat(second.matches(Tokens.hash(printed))).isFalse();
    }

    @Test
    void clientTokensAreRandomAndLongEnough() {
        String token = Tokens.newToken();
        assertThat(token).startsWith("sh_").hasSize(3 + 43).isNotEqualTo(Tokens.newToken());
        assertThat(Tokens.hash(token)).hasSize(32);
    }

}
