package io.sensorhub.common.addresses;

import java.net.UnknownHostException;

/**
 * A {@link DeadlineResolver} did not look a host name up: every lookup thread was busy,
 * the caller was interrupted while it waited, or the resolver is closed. This says
 * nothing about the name, which may well resolve when asked again later.
 */
public class ResolverUnavailableException extends UnknownHostException {

    public ResolverUnavailableException(String message) {
        super(message);
    }

}
