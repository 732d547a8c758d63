package io.sensorhub.common.addresses;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every range {@link AddressPolicy} refuses (at both ends and in the middle), and public
 * addresses right next to them, so each range is pinned exactly. Among them the ranges
 * crud-service once accepted and notifier-job refused: 2001::/32, 100::/64, 2001:10::/28,
 * fec0::/10 and ::/96.
 */
class AddressPolicyTest {

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0/8           | this network
            10.0.0.0/8          | private
            100.64.0.0/10       | carrier-grade NAT
            127.0.0.0/8         | loopback
            169.254.0.0/16      | link-local, cloud metadata
            172.16.0.0/12       | private
            192.0.0.0/24        | IETF protocol assignments
            192.0.2.0/24        | documentation
            192.88.99.0/24      | 6to4 relay anycast
            192.168.0.0/16      | private
            198.18.0.0/15       | benchmarking
            198.51.100.0/24     | documentation
            203.0.113.0/24      | documentation
            224.0.0.0/4         | multicast
            240.0.0.0/4         | reserved, broadcast
            ::/96               | unspecified, loopback, IPv4-compatible
            1::/16              | reserved by the IETF
            64:ff9b:1::/48      | local-use NAT64
            100::/64            | discard-only
            100:0:0:1::/64      | dummy prefix (outside 2000::/3)
            5f00::/16           | segment routing
            fc00::/7            | unique-local
            fe80::/10           | link-local
            fec0::/10           | site-local
            ff00::/8            | multicast
            100::/8             | reserved by the IETF
            200::/7             | reserved by the IETF
            400::/6             | reserved by the IETF
            800::/5             | reserved by the IETF
            1000::/4            | reserved by the IETF
            4000::/2            | reserved by the IETF
            8000::/1            | reserved by the IETF, unique-local, link-local, site-local, multicast
            2001::/23           | IETF protocol assignments
            2001::/32           | Teredo
            2001:2::/48         | benchmarking
            2001:10::/28        | ORCHID
            2001:db8::/32       | documentation
            3fff::/20           | documentation
            """)
    void everyAddressOfANonPublicRangeIsRefused(String range, String what) throws UnknownHostException {
        for (InetAddress address : firstMiddleLast(range)) {
            assertThat(AddressPolicy.isPublic(address)).as("%s in %s", address.getHostAddress(), range).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "::ffff:0.0.0.1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
            "::ffff:255.255.255.255", "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1",
            "2002:7f00:1::", "2002:c0a8:101:ffff:ffff:ffff:ffff:ffff" })
    void ipv4CarriedInIpv6IsRefusedWhenItsIpv4AddressIs(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.isPublic(address(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.0.0.0", "1.1.1.1", "8.8.8.8", "93.184.216.34", "9.255.255.255", "11.0.0.0",
            "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0",
            "172.15.255.255", "172.32.0.0", "191.255.255.255", "192.0.1.0", "192.0.1.255", "192.0.3.0", "192.88.98.255",
            "192.88.100.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "198.51.99.255",
            "198.51.101.0", "203.0.112.255", "203.0.114.0", "223.255.255.255", "2000::", "2001:200::",
            "2001:4860:4860::8888", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "2606:4700:4700::1111",
            "2a00:1450:4001::200e", "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::",
            "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1" })
    void publicAddressesAreAccepted(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.isPublic(address(literal))).as(literal).isTrue();
    }

    /** The first, a middle and the last address of {@code range}. */
    private static InetAddress[] firstMiddleLast(String range) throws UnknownHostException {
        String[] parts = range.split("/");
        byte[] network = address(parts[0]).getAddress();
        int hostBits = network.length * 8 - Integer.parseInt(parts[1]);
        BigInteger first = new BigInteger(1, network);
        BigInteger span = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
        return new InetAddress[] { address(first, network.length),
                address(first.add(span.shiftRight(1)), network.length), address(first.add(span), network.length) };
    }

    private static InetAddress address(BigInteger value, int length) throws UnknownHostException {
        byte[] bytes = new byte[length];
        byte[] raw = value.toByteArray();
        int copied = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copied, bytes, length - copied, copied);
        return (length == 4) ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
    }

    /**
     * A literal as the address a resolver could hand over: IPv4-mapped ones stay 16-byte
     * IPv6 addresses ({@link InetAddress#getByName} would make them IPv4).
     */
    private static InetAddress address(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        if (literal.contains(":") && parsed.getAddress().length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }

}
