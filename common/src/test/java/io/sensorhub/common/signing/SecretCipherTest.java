package io.sensorhub.common.signing;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static final String OTHER_KEY = Base64.getEncoder()
        .encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void aSecretIsStoredEncryptedAndReadBack() {
        SecretCipher cipher = SecretCipher.of(KEY);
        String stored = cipher.encrypt(SECRET);

        assertThat(stored).startsWith("enc:v1:").doesNotContain("MfKQ9r8G");
        assertThat(cipher.encrypt(SECRET)).as("a fresh nonce each time").isNotEqualTo(stored);
        assertThat(cipher.decrypt(stored)).isEqualTo(SECRET);
        assertThat(cipher.encrypts()).isTrue();
    }

    @Test
    void aSecretStoredBeforeEncryptionIsReadAsItIs() {
        assertThat(SecretCipher.of(KEY).decrypt(SECRET)).isEqualTo(SECRET);
        assertThat(SecretCipher.of(KEY).decrypt(null)).isNull();
    }

    @Test
    void withoutAKeySecretsAreStoredAsTheyAre() {
        SecretCipher plain = SecretCipher.of(null);
        assertThat(plain.encrypts()).isFalse();
        assertThat(plain.encrypt(SECRET)).isEqualTo(SECRET);
        assertThat(plain.decrypt(SECRET)).isEqualTo(SECRET);
        assertThatIllegalStateException().isThrownBy(() -> plain.decrypt(SecretCipher.of(KEY).encrypt(SECRET)))
            .withMessageContaining("not set");
    }

    @Test
    void anotherKeyOrAnAlteredValueDoesNotDecrypt() {
        String stored = SecretCipher.of(KEY).encrypt(SECRET);
        assertThatIllegalStateException().isThrownBy(() -> SecretCipher.of(OTHER_KEY).decrypt(stored));
        char last = stored.charAt(stored.length() - 3);
        String altered = stored.substring(0, stored.length() - 3) + (last == 'A' ? 'B' : 'A')
                + stored.substring(stored.length() - 2);
        assertThatIllegalStateException().isThrownBy(() -> SecretCipher.of(KEY).decrypt(altered))
            .withMessageNotContaining(SECRET);
    }

    @Test
    void aKeyMustBeTheBase64Of32BytesAndIsNeverShown() {
        assertThatIllegalArgumentException().isThrownBy(() -> SecretCipher.of("not base64!"))
            .withMessageNotContaining("not base64!");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SecretCipher.of(Base64.getEncoder().encodeToString(new byte[16])))
            .withMessageContaining("16");
    }

}
