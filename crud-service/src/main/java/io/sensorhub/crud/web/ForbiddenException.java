package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/**
 * A valid token of the wrong role: the admin token on a client's resources, or the
 * reverse.
 */
public class ForbiddenException extends ApiException {

    public ForbiddenException(String detail) {
        super(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

}
