package org.rcptguard.james.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/** Names in the reverse trees: {@code 4.3.2.1.in-addr.arpa} and the nibbles of {@code ip6.arpa}. */
final class ReverseName {
    private static final String IPV4_SUFFIX = ".in-addr.arpa";
    private static final String IPV6_SUFFIX = ".ip6.arpa";

    private ReverseName() {
    }

    /** The address a reverse name stands for; empty when the name is not a complete one. */
    static Optional<InetAddress> address(String reverseName) {
        String name = withoutTrailingDot(reverseName).toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(IPV4_SUFFIX)) {
                String[] octets = name.substring(0, name.length() - IPV4_SUFFIX.length()).split("\\.");
                if (octets.length != 4) {
                    return Optional.empty();
                }
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(octets[3 - i]);
                    if (octet > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) octet;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (name.endsWith(IPV6_SUFFIX)) {
                String[] nibbles = name.substring(0, name.length() - IPV6_SUFFIX.length()).split("\\.");
                if (nibbles.length != 32) {
                    return Optional.empty();
                }
                byte[] bytes = new byte[16];
                for (int i = 0; i < 32; i++) {
                    int nibble = Integer.parseInt(nibbles[31 - i], 16);
                    bytes[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
        } catch (NumberFormatException | UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
