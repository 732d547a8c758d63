package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/** No bearer token, or one that belongs to nobody. */
public class UnauthorizedException extends ApiException {

    public UnauthorizedException(String detail) {
        super(HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

}
