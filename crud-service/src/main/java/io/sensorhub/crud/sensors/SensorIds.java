package io.sensorhub.crud.sensors;

import java.util.regex.Pattern;

import io.sensorhub.crud.web.NotFoundException;

/**
 * The shape of a sensor id (docs/api.md, sensors). A path that names an id of another
 * shape names no sensor: a 404.
 */
public final class SensorIds {

    static final String PATTERN = "[A-Za-z0-9._:-]{1,64}";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private SensorIds() {
    }

    /**
     * The id, when it has the shape of a sensor id; otherwise a 404, before the id
     * reaches a query (PostgreSQL refuses a NUL as data, which is not the client's
     * business).
     */
    public static String requireWellFormed(String id) {
        if (!isWellFormed(id)) {
            throw new NotFoundException("sensor", shortened(id));
        }
        return id;
    }

    /** Whether the text has the shape of a sensor id. */
    public static boolean isWellFormed(String id) {
        return COMPILED.matcher(id).matches();
    }

    private static String shortened(String id) {
        String printable = id.codePoints()
            .limit(64)
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
        return (id.length() > 64) ? printable + "…" : printable;
    }

}
