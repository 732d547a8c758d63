package io.sensorhub.common.addresses;

import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A host name did not resolve within the deadline of a {@link DeadlineResolver}; the
 * lookup goes on in the background.
 */
public class ResolutionTimeoutException extends UnknownHostException {

    private final Duration timeout;

    public ResolutionTimeoutException(String host, Duration timeout) {
        super(host + " took longer than " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** The deadline that passed. */
    public Duration timeout() {
        return this.timeout;
    }

}
