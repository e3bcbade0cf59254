package org.rcptguard.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/** The connecting address reduced to its prefix (IPv4 /24, IPv6 /64 by default): the unit greylisting and scan detection count by. */
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
