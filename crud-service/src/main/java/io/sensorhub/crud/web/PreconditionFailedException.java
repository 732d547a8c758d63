package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/** An {@code If-Match} header names a version that is no longer current. */
public class PreconditionFailedException extends ApiException {

    public PreconditionFailedException(String detail) {
        super(HttpStatus.PRECONDITION_FAILED, "precondition-failed", detail);
    }

}
