package io.sensorhub.crud.auth;

/** The operator, holding the admin token: manages clients, nothing else. */
public record AdminCaller() implements Caller {
}
