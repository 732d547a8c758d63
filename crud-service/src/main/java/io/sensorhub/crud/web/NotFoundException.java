package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/**
 * The resource does not exist or belongs to someone else; the two are indistinguishable
 * on purpose.
 */
public class NotFoundException extends ApiException {

    public NotFoundException(String resource, Object id) {
        super(HttpStatus.NOT_FOUND, "not-found", resource + " '" + id + "' not found");
    }

}
