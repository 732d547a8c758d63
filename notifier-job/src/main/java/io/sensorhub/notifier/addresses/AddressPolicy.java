package io.sensorhub.notifier.addresses;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Whether an address is public, i.e. one a webhook may be delivered to when private
 * networks are not allowed. Non-public: unspecified, loopback, private (RFC 1918), CGNAT
 * (100.64/10), link-local (169.254/16, fe80::/10), unique-local (fc00::/7), site-local
 * (fec0::/10), multicast, documentation, benchmarking and reserved ranges; IPv4 embedded
 * in IPv6 (mapped, compatible, NAT64, 6to4) is judged by its IPv4 address.
 */
public final class AddressPolicy {

    private static final List<Cidr> NON_PUBLIC_V4 = List.of(Cidr.of("0.0.0.0/8"), Cidr.of("10.0.0.0/8"),
            Cidr.of("100.64.0.0/10"), Cidr.of("127.0.0.0/8"), Cidr.of("169.254.0.0/16"), Cidr.of("172.16.0.0/12"),
            Cidr.of("192.0.0.0/24"), Cidr.of("192.0.2.0/24"), Cidr.of("192.88.99.0/24"), Cidr.of("192.168.0.0/16"),
            Cidr.of("198.18.0.0/15"), Cidr.of("198.51.100.0/24"), Cidr.of("203.0.113.0/24"), Cidr.of("224.0.0.0/4"),
            Cidr.of("240.0.0.0/4"));

    private static final List<Cidr> NON_PUBLIC_V6 = List.of(Cidr.of("::/96"), Cidr.of("100::/64"), Cidr.of("2001::/32"),
            Cidr.of("2001:db8::/32"), Cidr.of("2001:10::/28"), Cidr.of("fc00::/7"), Cidr.of("fe80::/10"),
            Cidr.of("fec0::/10"), Cidr.of("ff00::/8"));

    private static final List<EmbeddedV4> EMBEDDING_V4 = List.of(new EmbeddedV4(Cidr.of("::ffff:0:0/96"), 12),
            new EmbeddedV4(Cidr.of("64:ff9b::/96"), 12), new EmbeddedV4(Cidr.of("2002::/16"), 2));

    private AddressPolicy() {
    }

    /** Whether {@code address} is a public unicast address. */
    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes);
        }
        for (EmbeddedV4 embedding : EMBEDDING_V4) {
            if (embedding.prefix.contains(bytes)) {
                return isPublicV4(Arrays.copyOfRange(bytes, embedding.offset, embedding.offset + 4));
            }
        }
        return NON_PUBLIC_V6.stream().noneMatch(range -> range.contains(bytes));
    }

    private static boolean isPublicV4(byte[] bytes) {
        return NON_PUBLIC_V4.stream().noneMatch(range -> range.contains(bytes));
    }

    /**
     * Where an IPv6 range carries an IPv4 address: its prefix and the byte offset of the
     * IPv4 address.
     */
    private record EmbeddedV4(Cidr prefix, int offset) {
    }

    /** An address range: network bytes and prefix length. */
    private record Cidr(byte[] network, int bits) {

        static Cidr of(String notation) {
            String[] parts = notation.split("/");
            return new Cidr(literal(parts[0]), Integer.parseInt(parts[1]));
        }

        boolean contains(byte[] address) {
            if (address.length != this.network.length) {
                return false;
            }
            int full = this.bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != this.network[i]) {
                    return false;
                }
            }
            int rest = this.bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (this.network[full] & mask);
        }

        private static byte[] literal(String text) {
            try {
                // Literals only: never a DNS lookup. getByName turns ::ffff:a.b.c.d into
                // IPv4, so widen it again.
                byte[] parsed = InetAddress.getByName(text).getAddress();
                if (text.contains(":") && parsed.length == 4) {
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(parsed, 0, mapped, 12, 4);
                    return mapped;
                }
                return parsed;
            }
            catch (java.net.UnknownHostException ex) {
                throw new IllegalArgumentException(text, ex);
            }
        }
    }

}
