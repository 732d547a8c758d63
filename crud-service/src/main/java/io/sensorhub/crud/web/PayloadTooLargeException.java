package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/** A request body larger than {@code sensorhub.api.max-body-size}. */
public class PayloadTooLargeException extends ApiException {

    public PayloadTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "The request body exceeds " + limit + " bytes");
    }

}
