package org.rcptguard.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

import org.rcptguard.core.identity.ClientIdentity;

/**
 * The connecting address reduced to its prefix (IPv4 /24, IPv6 /64 by default): the unit greylisting and scan detection
 * count by. A client that proved an identity is also counted by that identity ({@link #provenBy}), so that a sender
 * spread over many networks gains nothing from spreading.
 */
public final class ClientNetwork {
    private final String value;

    private ClientNetwork(String value) {
        this.value = value;
    }

    public static ClientNetwork of(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
        if (address instanceof Inet4Address && ipv4Prefix >= 0 && ipv4Prefix <= 32) {
            return new ClientNetwork(ipv4Network(address.getAddress(), ipv4Prefix));
        }
        int prefix = address instanceof Inet4Address ? ipv4Prefix : ipv6Prefix;
        return new ClientNetwork(Cidr.of(address, prefix).asString());
    }

    /**
     * {@code a.b.c.d/prefix}, as {@link Cidr#asString()} writes it, without its intermediate addresses: computed at
     * every RCPT of an IPv4 client.
     */
    private static String ipv4Network(byte[] address, int prefix) {
        int bits = (address[0] & 0xFF) << 24 | (address[1] & 0xFF) << 16 | (address[2] & 0xFF) << 8 | address[3] & 0xFF;
        int network = prefix == 0 ? 0 : bits & -1 << (32 - prefix);
        return new StringBuilder(18)
            .append(network >>> 24).append('.')
            .append(network >>> 16 & 0xFF).append('.')
            .append(network >>> 8 & 0xFF).append('.')
            .append(network & 0xFF).append('/')
            .append(prefix).toString();
    }

    /** A client network as stored, e.g. {@code 192.0.2.0/24}. */
    public static ClientNetwork parse(String cidr) {
        return new ClientNetwork(Cidr.parse(cidr).asString());
    }

    /**
     * The unit a proven identity's reputation and scan evidence are kept by, beside its network's: stored as a network
     * is, under the identity's key ({@code spf:example.com}), a text no network has.
     *
     * @throws IllegalArgumentException for an identity that is a network
     */
    public static ClientNetwork provenBy(ClientIdentity identity) {
        if (!identity.isProven()) {
            throw new IllegalArgumentException("not a proven identity: " + identity);
        }
        return new ClientNetwork(identity.key());
    }

    public String asString() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientNetwork && value.equals(((ClientNetwork) o).value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
