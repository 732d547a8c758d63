package io.sensorhub.crud.web;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Names the field a Jackson error is about, in the dotted form used in
 * {@code errors[].field}.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static String field(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    static String message(JacksonException ex) {
        return (ex instanceof UnrecognizedPropertyException) ? "is not a known field"
                : "has the wrong type or an invalid value";
    }

    /**
     * Bean Validation paths without container element markers:
     * {@code sensorIds[0].<list element>} → {@code sensorIds[0]}.
     */
    static String cleanPath(String path) {
        return path.replaceAll("\\.<[^>]+>", "");
    }

}
