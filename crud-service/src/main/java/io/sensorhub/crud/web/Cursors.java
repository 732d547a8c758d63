package io.sensorhub.crud.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors: the key of the last item of a page, base64url-encoded so clients
 * do not build them. A cursor that does not decode, is not UTF-8 or holds a control
 * character is a 400 on the {@code cursor} parameter: no key this service makes has one,
 * and PostgreSQL refuses a NUL in a query parameter.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String cursor) {
        String key;
        try {
            key = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
                .toString();
        }
        catch (IllegalArgumentException | CharacterCodingException ex) {
            throw invalid();
        }
        if (!PlainText.isSingleLine(key)) {
            throw invalid();
        }
        return key;
    }

    /**
     * The error for a cursor that decodes but does not hold the key this list expects.
     */
    public static InvalidInputException invalid() {
        return new InvalidInputException("cursor", "is not a cursor of this list");
    }

}
