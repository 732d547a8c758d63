package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import io.sensorhub.common.addresses.HostResolver;
import io.sensorhub.common.addresses.ResolutionTimeoutException;
import io.sensorhub.common.addresses.ResolverUnavailableException;
import io.sensorhub.crud.web.ServiceBusyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookUrlPolicyTest {

    private static InetAddress[] resolveTo(String... addresses) throws UnknownHostException {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByName(addresses[i]);
        }
        return resolved;
    }

    private final WebhookUrlPolicy strict = new WebhookUrlPolicy(false, HostResolver.SYSTEM);

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1/", "http://[2001::1]/", "http://[100::1]/", "http://[2001:10::1]/",
            "http://[fec0::1]/", "http://[::8.8.8.8]/" })
    void addressesAreJudgedByTheSharedPolicy(String url) {
        assertThat(this.strict.problemWith(url))
            .hasValueSatisfying(problem -> assertThat(problem).contains("non-public"));
    }

    @Test
    void aHostThatDoesNotAnswerWithinTheDeadlineIsAProblemWithTheUrl() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(false, host -> {
            throw new ResolutionTimeoutException(host, Duration.ofMillis(100));
        });
        assertThat(policy.problemWith("https://slow.example/hook"))
            .hasValue("has a host name that did not resolve within 100 ms (sensorhub.webhooks.dns-timeout)");
        WebhookUrlPolicy seconds = new WebhookUrlPolicy(false, host -> {
            throw new ResolutionTimeoutException(host, Duration.ofSeconds(2));
        });
        assertThat(seconds.problemWith("https://slow.example/hook")).hasValueSatisfying(
                problem -> assertThat(problem).startsWith("has a host name that did not resolve within 2 s"));
    }

    @Test
    void aHostThatCouldNotBeLookedUpNowIsAServiceBusy() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(false, host -> {
            throw new ResolverUnavailableException(host + ": not looked up, too many lookups in progress");
        });
        assertThatThrownBy(() -> policy.problemWith("https://busy.example/hook"))
            .isInstanceOf(ServiceBusyException.class)
            .hasMessageContaining("too many lookups in progress");
    }

    @Test
    void aHostThatDoesNotResolveIsAProblemWithTheUrl() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(policy.problemWith("https://nowhere.example/hook"))
            .hasValue("has a host name that does not resolve");
    }

    @Test
    void aNameWithAnyPrivateAddressIsRefused() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(false, host -> resolveTo("8.8.8.8", "10.0.0.7"));
        assertThat(policy.problemWith("https://mixed.example.com/hook"))
            .hasValueSatisfying(problem -> assertThat(problem).contains("non-public"));
    }

    @Test
    void aNameWithOnlyPublicAddressesIsAccepted() {
        WebhookUrlPolicy policy = new WebhookUrlPolicy(false, host -> resolveTo("8.8.8.8"));
        assertThat(policy.problemWith("https://hooks.example.com:8443/path?q=1")).isEmpty();
    }

    @Test
    void privateNetworksAreAcceptedWhenAllowed() {
        WebhookUrlPolicy permissive = new WebhookUrlPolicy(true, host -> {
            throw new AssertionError("no lookup needed");
        });
        assertThat(permissive.problemWith("http://localhost:9000/hook")).isEmpty();
        assertThat(permissive.problemWith("http://10.0.0.1/hook")).isEmpty();
        assertThat(permissive.problemWith("ftp://10.0.0.1/hook")).isPresent();
    }

    @Test
    void shapeIsCheckedFirst() {
        assertThat(this.strict.problemWith("mailto:ops@example.com")).hasValue("must be an http or https URL");
        assertThat(this.strict.problemWith("/relative/path")).hasValue("must be an http or https URL");
        assertThat(this.strict.problemWith("https://exa mple.com/")).hasValue("is not a valid URL");
        assertThat(this.strict.problemWith("https://" + "a".repeat(2100) + ".com/")).isPresent();
        assertThat(this.strict.problemWith("http://[::1]:8080/"))
            .hasValueSatisfying(problem -> assertThat(problem).contains("non-public"));
    }

}
