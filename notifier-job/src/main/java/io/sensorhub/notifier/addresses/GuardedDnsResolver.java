package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.sensorhub.common.addresses.AddressPolicy;
import io.sensorhub.common.addresses.HostResolver;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's resolver: the addresses it answers are the only ones the client
 * connects to, so checking them here leaves no gap between check and connect for DNS
 * rebinding. Non-public addresses ({@link AddressPolicy}, the rule crud-service applies
 * when a webhook is saved) are dropped unless private networks are allowed; a host with
 * nothing left is refused with {@link AddressRefusedException}.
 */
public class GuardedDnsResolver implements DnsResolver {

    private final HostResolver resolver;

    private final boolean allowPrivateNetworks;

    public GuardedDnsResolver(HostResolver resolver, boolean allowPrivateNetworks) {
        this.resolver = resolver;
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = unbracketed(host);
        InetAddress[] addresses = this.resolver.resolve(name);
        if (this.allowPrivateNetworks) {
            return addresses;
        }
        InetAddress[] allowed = Arrays.stream(addresses).filter(AddressPolicy::isPublic).toArray(InetAddress[]::new);
        if (allowed.length == 0) {
            throw new AddressRefusedException(name,
                    Arrays.stream(addresses).map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
        }
        return allowed;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host)).map(address -> new InetSocketAddress(address, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    private static String unbracketed(String host) {
        return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
    }

}
