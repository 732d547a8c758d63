package io.sensorhub.crud.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** Input that is well-formed but breaks a rule; each broken rule is listed per field. */
public class InvalidInputException extends ApiException {

    private final List<FieldViolation> violations;

    public InvalidInputException(List<FieldViolation> violations) {
        super(HttpStatus.BAD_REQUEST, "invalid-input", "The request has invalid fields");
        this.violations = List.copyOf(violations);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldViolation(field, message)));
    }

    @Override
    public List<FieldViolation> violations() {
        return this.violations;
    }

}
