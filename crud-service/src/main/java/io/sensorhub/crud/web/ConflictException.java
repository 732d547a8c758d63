package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/**
 * The request conflicts with the current state of a resource (a taken id, a delivery
 * already pending).
 */
public class ConflictException extends ApiException {

    public ConflictException(String detail) {
        super(HttpStatus.CONFLICT, "conflict", detail);
    }

}
