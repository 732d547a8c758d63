package io.sensorhub.crud.sensors;

import io.sensorhub.crud.web.PreconditionFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ETagsTest {

    @Test
    void absentWildcardCurrentAndListedTagsPass() {
        assertThatCode(() -> ETags.checkIfMatch(null, 3)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.checkIfMatch("*", 3)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.checkIfMatch("\"3\"", 3)).doesNotThrowAnyException();
        assertThatCode(() -> ETags.checkIfMatch("\"1\", W/\"3\"", 3)).doesNotThrowAnyException();
    }

    @Test
    void aStaleOrUnquotedTagFails() {
        assertThatThrownBy(() -> ETags.checkIfMatch("\"2\"", 3)).isInstanceOf(PreconditionFailedException.class)
            .hasMessageContaining("\"3\"");
        assertThatThrownBy(() -> ETags.checkIfMatch("3", 3)).isInstanceOf(PreconditionFailedException.class);
    }

}
