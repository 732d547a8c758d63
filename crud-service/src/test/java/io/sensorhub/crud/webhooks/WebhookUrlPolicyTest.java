package io.sensorhub.crud.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlPolicyTest {

    private static InetAddress[] resolveTo(String... addresses) throws UnknownHostException {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByName(addresses[i]);
        }
        return resolved;
    }

    private final WebhookUrlPolicy strict = new WebhookUrlPolicy(false, InetAddress::getAllByName);

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.1", "::1", "::", "fe80::1", "fc00::1",
            "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "2001:db8::1" })
    void nonPublicAddressesAreNotPublic(String address) throws UnknownHostException {
        assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = { "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "64:ff9b::808:808" })
    void publicAddressesArePublic(String address) throws UnknownHostException {
        assertThat(PublicAddresses.isPublic(InetAddress.getByName(address))).isTrue();
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
