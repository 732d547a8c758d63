package io.sensorhub.crud.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether an address is on the public internet. Refused: unspecified, loopback, private
 * (RFC 1918, unique local), link-local, carrier-grade NAT, multicast, broadcast,
 * documentation and benchmarking ranges, and IPv6 forms that embed such an IPv4 address
 * (mapped, NAT64, 6to4).
 */
final class PublicAddresses {

    private static final int[][] NON_PUBLIC_V4 = { { 0, 0, 0, 0, 8 }, { 10, 0, 0, 0, 8 }, { 100, 64, 0, 0, 10 },
            { 127, 0, 0, 0, 8 }, { 169, 254, 0, 0, 16 }, { 172, 16, 0, 0, 12 }, { 192, 0, 0, 0, 24 },
            { 192, 0, 2, 0, 24 }, { 192, 88, 99, 0, 24 }, { 192, 168, 0, 0, 16 }, { 198, 18, 0, 0, 15 },
            { 198, 51, 100, 0, 24 }, { 203, 0, 113, 0, 24 }, { 224, 0, 0, 0, 4 }, { 240, 0, 0, 0, 4 } };

    private PublicAddresses() {
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            return isPublicV4(address.getAddress());
        }
        return (address instanceof Inet6Address) && isPublicV6(address.getAddress());
    }

    private static boolean isPublicV4(byte[] bytes) {
        long value = ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8)
                | (bytes[3] & 0xFFL);
        for (int[] range : NON_PUBLIC_V4) {
            long base = ((long) range[0] << 24) | (range[1] << 16) | (range[2] << 8) | range[3];
            long mask = (0xFFFFFFFFL << (32 - range[4])) & 0xFFFFFFFFL;
            if ((value & mask) == base) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPublicV6(byte[] bytes) {
        int first = bytes[0] & 0xFF;
        int second = bytes[1] & 0xFF;
        if ((first & 0xFE) == 0xFC || first == 0xFF || (first == 0xFE && (second & 0xC0) == 0x80)) {
            return false; // unique local fc00::/7, multicast, link-local fe80::/10
        }
        if (first == 0x20 && second == 0x01 && (bytes[2] & 0xFF) == 0x0D && (bytes[3] & 0xFF) == 0xB8) {
            return false; // documentation 2001:db8::/32
        }
        if (first == 0x20 && second == 0x02) {
            return isPublicV4(new byte[] { bytes[2], bytes[3], bytes[4], bytes[5] }); // 6to4
                                                                                      // 2002::/16
        }
        if (isPrefix(bytes, new byte[] { 0, 0x64, (byte) 0xFF, (byte) 0x9B }, 12) || allZero(bytes, 0, 10)) {
            // NAT64 64:ff9b::/96, and ::/80 (IPv4-compatible, IPv4-mapped ::ffff:0:0/96,
            // unspecified)
            return isPublicV4(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] }) && !allZero(bytes, 0, 16);
        }
        return true;
    }

    private static boolean isPrefix(byte[] bytes, byte[] start, int zeroUntil) {
        for (int i = 0; i < start.length; i++) {
            if (bytes[i] != start[i]) {
                return false;
            }
        }
        return allZero(bytes, start.length, zeroUntil);
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

}
