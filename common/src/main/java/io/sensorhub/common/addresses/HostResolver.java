package io.sensorhub.common.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Resolves a host name (or an IP literal) to its addresses, as
 * {@link InetAddress#getAllByName(String)} does: the system resolver, or a stand-in in
 * tests (a bean of this type replaces the system resolver in crud-service and
 * notifier-job).
 */
@FunctionalInterface
public interface HostResolver {

    /** The system's resolver. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /**
     * The addresses of {@code host}.
     * @throws UnknownHostException when it does not resolve
     */
    InetAddress[] resolve(String host) throws UnknownHostException;

}
