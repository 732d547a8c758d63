package io.sensorhub.crud.web;

import org.springframework.http.HttpStatus;

/**
 * A bounded resource the request needs is fully in use (e.g. webhook host name
 * resolution): a 503 to retry.
 */
public class ServiceBusyException extends ApiException {

    public ServiceBusyException(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", detail);
    }

}
