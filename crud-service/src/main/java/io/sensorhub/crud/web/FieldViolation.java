package io.sensorhub.crud.web;

/**
 * One invalid input field of a request, as listed in a problem's {@code errors}.
 *
 * @param field the JSON path of the field or the name of the parameter
 * @param message what is wrong with it
 */
public record FieldViolation(String field, String message) {
}
