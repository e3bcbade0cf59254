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
        int prefix = address instanceof Inet4Address ? ipv4Prefix : ipv6Prefix;
        return new ClientNetwork(Cidr.of(address, prefix).asString());
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
