package io.sensorhub.common.addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Whether an address is public, i.e. one a webhook may go to while private networks are
 * not allowed ({@code sensorhub.webhooks.allow-private-networks=false}). crud-service
 * judges a webhook's addresses by it when the webhook is saved and notifier-job on every
 * connection, so a URL that is accepted is delivered to, and one that is refused never
 * is.
 * <p>
 * Based on the IANA special-purpose address registries; an address in an entry that is
 * not globally reachable is not public:
 * <ul>
 * <li>IPv4: 0.0.0.0/8 ("this network"), 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16
 * (private), 100.64.0.0/10 (carrier-grade NAT), 127.0.0.0/8 (loopback), 169.254.0.0/16
 * (link-local, where cloud metadata services answer), 192.0.0.0/24 (IETF protocol
 * assignments), 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 (documentation),
 * 192.88.99.0/24 (the deprecated 6to4 relay anycast), 198.18.0.0/15 (benchmarking),
 * 224.0.0.0/4 (multicast) and 240.0.0.0/4 (reserved, with the broadcast address).</li>
 * <li>IPv6: everything outside global unicast 2000::/3, which takes in the unspecified
 * and loopback addresses, IPv4-compatible ::/96, the local-use NAT64 prefix
 * 64:ff9b:1::/48, discard-only 100::/64, segment-routing 5f00::/16, unique-local
 * fc00::/7, link-local fe80::/10, site-local fec0::/10 and multicast ff00::/8; and,
 * inside 2000::/3, the IETF protocol assignments 2001::/23 (Teredo 2001::/32,
 * benchmarking 2001:2::/48, ORCHID 2001:10::/28 and the rest: the few of them marked
 * reachable are protocol anycast addresses and identifiers, never a webhook receiver) and
 * documentation 2001:db8::/32 and 3fff::/20.</li>
 * <li>IPv4 carried in IPv6 is judged by its IPv4 address: IPv4-mapped ::ffff:0:0/96,
 * NAT64 64:ff9b::/96 and 6to4 2002::/16.</li>
 * </ul>
 */
public final class AddressPolicy {

    private static final List<Cidr> NON_PUBLIC_V4 = cidrs("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.of("2000::/3");

    private static final List<Cidr> NON_PUBLIC_GLOBAL_UNICAST_V6 = cidrs("2001::/23", "2001:db8::/32", "3fff::/20");

    private static final List<EmbeddedV4> EMBEDDED_V4 = List.of(new EmbeddedV4(Cidr.of("::ffff:0:0/96"), 12),
            new EmbeddedV4(Cidr.of("64:ff9b::/96"), 12), new EmbeddedV4(Cidr.of("2002::/16"), 2));

    private AddressPolicy() {
    }

    /** Whether {@code address} is a public unicast address (see the class comment). */
    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return isPublicV4(bytes);
        }
        for (EmbeddedV4 embedding : EMBEDDED_V4) {
            if (embedding.prefix().contains(bytes)) {
                return isPublicV4(Arrays.copyOfRange(bytes, embedding.offset(), embedding.offset() + 4));
            }
        }
        return GLOBAL_UNICAST_V6.contains(bytes)
                && NON_PUBLIC_GLOBAL_UNICAST_V6.stream().noneMatch((range) -> range.contains(bytes));
    }

    private static boolean isPublicV4(byte[] bytes) {
        return NON_PUBLIC_V4.stream().noneMatch((range) -> range.contains(bytes));
    }

    private static List<Cidr> cidrs(String... notations) {
        return Arrays.stream(notations).map(Cidr::of).toList();
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
            catch (UnknownHostException ex) {
                throw new IllegalArgumentException(text, ex);
            }
        }
    }

}
