package io.sensorhub.crud.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors: the key of the last item of a page, base64url-encoded so clients do not build them.
 * A cursor that does not decode is a 400 on the {@code cursor} parameter.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            throw invalid();
        }
    }

    /** The error for a cursor that decodes but does not hold the key this list expects. */
    public static InvalidInputException invalid() {
        return new InvalidInputException("cursor", "is not a cursor of this list");
    }
}
