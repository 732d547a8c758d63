package io.sensorhub.crud.web;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * A request over one of the limits per client (docs/operations.md, limits): a 429 whose
 * {@code Retry-After} says, in whole seconds, when asking again can succeed.
 */
public class TooManyRequestsException extends ApiException {

    private final Duration retryAfter;

    public TooManyRequestsException(String detail, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", detail);
        this.retryAfter = retryAfter;
    }

    /** The wait in whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        long seconds = this.retryAfter.getSeconds() + ((this.retryAfter.getNano() > 0) ? 1 : 0);
        return Math.max(1, seconds);
    }

}
