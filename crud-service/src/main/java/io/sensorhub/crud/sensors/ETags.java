package io.sensorhub.crud.sensors;

import io.sensorhub.crud.web.PreconditionFailedException;

/** A sensor's version as an entity tag, and the {@code If-Match} check against it. */
final class ETags {

    private ETags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Passes when there is no {@code If-Match}, when it is {@code *}, or when one of its
     * tags is the current one.
     */
    static void checkIfMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = of(currentVersion);
        for (String tag : ifMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || trimmed.equals(current) || trimmed.equals("W/" + current)) {
                return;
            }
        }
        throw new PreconditionFailedException("The sensor has changed: its current ETag is " + current);
    }

}
