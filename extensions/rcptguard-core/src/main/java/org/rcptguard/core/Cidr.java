package org.rcptguard.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation, e.g. {@code 192.0.2.0/24} or {@code 2001:db8::/32}. Immutable. */
public final class Cidr {
    // Literal addresses only: InetAddress.getByName must never resolve a host name here.
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** The network of {@code address} with the given prefix length (host bits cleared). */
    public static Cidr of(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address.getHostAddress());
        }
        return new Cidr(mask(bytes, prefixLength), prefixLength);
    }

    /** Parses {@code address/prefix}, or a lone address meaning a single host. */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (addressPart.isEmpty() || !ADDRESS_LITERAL.matcher(addressPart).matches()) {
            throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
        }
        try {
            InetAddress address = InetAddress.getByName(addressPart);
            int maxLength = address.getAddress().length * 8;
            int prefix = slash < 0 ? maxLength : Integer.parseInt(trimmed.substring(slash + 1));
            return of(address, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'", e);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** True for an IPv4 network, false for IPv6. */
    public boolean isIpv4() {
        return network.length == 4;
    }

    /** The network's first address (host bits cleared). */
    public InetAddress address() {
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsInThisByte = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] = (byte) (masked[i] & (0xFF << (8 - bitsInThisByte)));
        }
        return masked;
    }

    public String asString() {
        if (network.length == 4) {
            // Written from the bytes, no InetAddress built: a client network's text is computed at every RCPT.
            return new StringBuilder(18)
                .append(network[0] & 0xFF).append('.').append(network[1] & 0xFF).append('.')
                .append(network[2] & 0xFF).append('.').append(network[3] & 0xFF)
                .append('/').append(prefixLength).toString();
        }
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof Cidr) {
            Cidr other = (Cidr) o;
            return prefixLength == other.prefixLength && Arrays.equals(network, other.network);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefixLength, Arrays.hashCode(network));
    }

    @Override
    public String toString() {
        return asString();
    }
}
