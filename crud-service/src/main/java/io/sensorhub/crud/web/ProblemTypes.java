package io.sensorhub.crud.web;

import java.net.URI;

/**
 * The {@code type} URIs of SensorHub's problems: one per kind of error, documented in the
 * README.
 */
public final class ProblemTypes {

    private static final String BASE = "https://sensorhub.io/problems/";

    private ProblemTypes() {
    }

    public static URI uri(String name) {
        return URI.create(BASE + name);
    }

}
