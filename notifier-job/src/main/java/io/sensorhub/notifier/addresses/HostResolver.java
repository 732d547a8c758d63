package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to addresses: the system resolver, or a stand-in in tests. */
@FunctionalInterface
public interface HostResolver {

    /** The system's resolver. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;

}
