package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.sensorhub.common.addresses.HostResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardedDnsResolverTest {

    private static final Map<String, String[]> DNS = Map.of("loopback.test", new String[] { "127.0.0.1" },
            "internal.test", new String[] { "10.0.0.7" }, "metadata.test", new String[] { "169.254.169.254" },
            "v6loopback.test", new String[] { "::1" }, "public.test", new String[] { "93.184.216.34" }, "mixed.test",
            new String[] { "10.0.0.7", "93.184.216.34" });

    private static final HostResolver FAKE = host -> {
        String[] answers = DNS.get(host);
        if (answers == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] addresses = new InetAddress[answers.length];
        for (int i = 0; i < answers.length; i++) {
            addresses[i] = InetAddress.getByName(answers[i]);
        }
        return addresses;
    };

    @Test
    void namesResolvingToNonPublicAddressesAreRefused() {
        GuardedDnsResolver guard = new GuardedDnsResolver(FAKE, false);
        for (String host : List.of("loopback.test", "internal.test", "metadata.test", "v6loopback.test")) {
            assertThatThrownBy(() -> guard.resolve(host, 80)).as(host)
                .isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("refused: " + host);
        }
    }

    @Test
    void onlyThePublicAddressesOfAMixedAnswerAreConnectedTo() throws UnknownHostException {
        GuardedDnsResolver guard = new GuardedDnsResolver(FAKE, false);
        assertThat(guard.resolve("mixed.test", 443)).extracting(InetSocketAddress::getAddress)
            .extracting(InetAddress::getHostAddress)
            .containsExactly("93.184.216.34");
    }

    @Test
    void everyConnectResolvesAgainSoARebindIsCaught() {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> new InetAddress[] {
                InetAddress.getByName((lookups.incrementAndGet() == 1) ? "93.184.216.34" : "127.0.0.1") };
        GuardedDnsResolver guard = new GuardedDnsResolver(rebinding, false);

        assertThat(catchResolve(guard)).isNull();
        assertThat(catchResolve(guard)).isInstanceOf(AddressRefusedException.class);
    }

    @Test
    void privateNetworksCanBeAllowed() throws UnknownHostException {
        GuardedDnsResolver guard = new GuardedDnsResolver(FAKE, true);
        assertThat(guard.resolve("internal.test")).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.7");
    }

    private static Exception catchResolve(GuardedDnsResolver guard) {
        try {
            guard.resolve("rebind.test", 80);
            return null;
        }
        catch (UnknownHostException ex) {
            return ex;
        }
    }

}
