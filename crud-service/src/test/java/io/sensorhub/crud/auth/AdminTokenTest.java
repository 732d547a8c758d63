package io.sensorhub.crud.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenTest {

    private static final Pattern GENERATED = Pattern.compile("Using generated admin token: (\\S+)");

    @Test
    void aConfiguredTokenIsUsedAndNeverPrinted(CapturedOutput output) {
        AdminToken token = new AdminToken(new AuthProperties("configured-admin-token"));
        assertThat(token.matches(Tokens.hash("configured-admin-token"))).isTrue();
        assertThat(token.matches(Tokens.hash("configured-admin-tokeN"))).isFalse();
        assertThat(output.getAll()).doesNotContain("configured-admin-token");
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
