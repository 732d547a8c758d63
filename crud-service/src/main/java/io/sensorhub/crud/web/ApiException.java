package io.sensorhub.crud.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A request that cannot be served as asked, answered as problem+json with the status it
 * names.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final String problemType;

    protected ApiException(HttpStatus status, String problemType, String detail) {
        super(detail);
        this.status = status;
        this.problemType = problemType;
    }

    public HttpStatus status() {
        return this.status;
    }

    /** The last segment of the problem's {@code type} URI. */
    public String problemType() {
        return this.problemType;
    }

    public List<FieldViolation> violations() {
        return List.of();
    }

}
