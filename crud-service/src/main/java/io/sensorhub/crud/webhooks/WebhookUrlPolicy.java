package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.sensorhub.common.addresses.AddressPolicy;
import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.common.addresses.ResolutionTimeoutException;
import io.sensorhub.common.addresses.ResolverUnavailableException;
import io.sensorhub.crud.web.ServiceBusyException;

/**
 * Which webhook URLs are accepted: absolute {@code http}/{@code https} URLs with a host,
 * at most {@value #MAX_LENGTH} characters, no credentials, and (unless private networks
 * are allowed) a host that resolves and all of whose addresses are public by
 * {@link AddressPolicy}, the rule notifier-job applies again when it connects (DNS can
 * change).
 */
final class WebhookUrlPolicy {

    static final int MAX_LENGTH = 2048;

    private final boolean allowPrivateNetworks;

    private final HostResolver resolver;

    WebhookUrlPolicy(boolean allowPrivateNetworks, HostResolver resolver) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    /**
     * Why the URL is refused, or empty when it is accepted.
     * @throws ServiceBusyException (503) when the host name could not be looked up now
     * (e.g. too many lookups in progress)
     */
    Optional<String> problemWith(String url) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException ex) {
            return Optional.of("is not a valid URL");
        }
        return Optional.ofNullable(shapeProblem(uri)).or(() -> addressProblem(uri.getHost()));
    }

    private static String shapeProblem(URI uri) {
        String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a valid host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain credentials";
        }
        return null;
    }

    private Optional<String> addressProblem(String host) {
        if (this.allowPrivateNetworks) {
            return Optional.empty();
        }
        String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress address : this.resolver.resolve(bare)) {
                if (!AddressPolicy.isPublic(address)) {
                    return Optional.of("resolves to a non-public address, which is not allowed"
                            + " (sensorhub.webhooks.allow-private-networks)");
                }
            }
            return Optional.empty();
        }
        catch (ResolutionTimeoutException ex) {
            return Optional.of("has a host name that did not resolve within " + readable(ex.timeout())
                    + " (sensorhub.webhooks.dns-timeout)");
        }
        catch (ResolverUnavailableException ex) {
            throw new ServiceBusyException(
                    "The webhook's host name could not be resolved now (" + ex.getMessage() + "); retry later");
        }
        catch (UnknownHostException ex) {
            return Optional.of("has a host name that does not resolve");
        }
    }

    private static String readable(Duration timeout) {
        return (timeout.toMillis() % 1000 == 0) ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

}
