package io.sensorhub.notifier.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.1.1.1", "240.0.0.1",
            "255.255.255.255", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "192.0.0.8", "::", "::1",
            "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "::ffff:127.0.0.1",
            "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1",
            "2001:db8::1", "2001::1", "100::1" })
    void nonPublicAddressesAreRefused(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.isPublic(v6Kept(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.255.255",
            "172.32.0.1", "169.253.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8",
            "64:ff9b::808:808", "2002:808:808::1" })
    void publicAddressesAreAllowed(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.isPublic(v6Kept(literal))).as(literal).isTrue();
    }

    /** An IPv4-mapped literal as the 16-byte IPv6 address a resolver could hand over. */
    private static InetAddress v6Kept(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        if (literal.startsWith("::ffff:") && parsed.getAddress().length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return java.net.Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }

}
