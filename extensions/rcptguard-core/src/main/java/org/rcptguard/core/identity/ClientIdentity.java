package org.rcptguard.core.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.rcptguard.core.ClientNetwork;

/**
 * Who a client proved to be, as far as greylisting and reputation are concerned: the domain whose SPF record
 * authorises it, the organisational domain of its forward-confirmed reverse name, or else its client network.
 * {@link #key()} is the same text on every node, so it can be stored and shared as is. Immutable.
 */
public final class ClientIdentity {
    /** How the identity was proven; the prefix of its key. */
    public enum Kind {
        SPF("spf"),
        FCRDNS("ptr"),
        NETWORK("net");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private final Kind kind;
    private final String value;

    private ClientIdentity(Kind kind, String value) {
        this.kind = kind;
        this.value = value;
    }

    /** The domain whose SPF record authorised the client, lower case, without a trailing dot. */
    public static ClientIdentity spf(String domain) {
        return new ClientIdentity(Kind.SPF, domainName(domain));
    }

    /** The organisational domain of the client's forward-confirmed reverse name. */
    public static ClientIdentity fcrdns(String organisationalDomain) {
        return new ClientIdentity(Kind.FCRDNS, domainName(organisationalDomain));
    }

    public static ClientIdentity network(ClientNetwork network) {
        return new ClientIdentity(Kind.NETWORK, network.asString());
    }

    /**
     * The identity of a key written by {@link #key()}.
     *
     * @throws IllegalArgumentException when the text is not a key
     */
    public static ClientIdentity parse(String key) {
        int colon = key == null ? -1 : key.indexOf(':');
        if (colon > 0) {
            String prefix = key.substring(0, colon);
            String rest = key.substring(colon + 1);
            for (Kind kind : Kind.values()) {
                if (kind.prefix.equals(prefix)) {
                    return kind == Kind.NETWORK ? network(ClientNetwork.parse(rest)) : new ClientIdentity(kind, domainName(rest));
                }
            }
        }
        throw new IllegalArgumentException("not a client identity: '" + key + "', expected one of "
            + Arrays.toString(Arrays.stream(Kind.values()).map(kind -> kind.prefix + ":").toArray()));
    }

    private static String domainName(String domain) {
        String name = domain.trim().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.indexOf(':') >= 0 || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not a domain name: '" + domain + "'");
        }
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The domain or the client network, without the kind. */
    public String value() {
        return value;
    }

    /** {@code spf:example.org}, {@code ptr:example.org} or {@code net:192.0.2.0/24}: the same on every node. */
    public String key() {
        return kind.prefix + ":" + value;
    }

    /**
     * The text the stores key a triplet's client by: the bare client network ({@code 192.0.2.0/24}) for a network
     * identity, the {@link #key()} otherwise. A network keeps exactly the text stored before identities existed, so the
     * greylist rows a cluster already holds (the Cassandra triplet table's partition key is this text) still match
     * after an upgrade, and nodes of the previous release and of this one share them during a rolling restart; with
     * the {@code net:} prefix every known triplet would be greylisted again once. The two never collide: no network's
     * text starts with {@code spf:} or {@code ptr:} (hexadecimal digits, dots and colons only).
     */
    public String storedKey() {
        return kind == Kind.NETWORK ? value : key();
    }

    /** The identity of a text written by {@link #storedKey()}. */
    public static ClientIdentity parseStored(String storedKey) {
        return storedKey.startsWith(Kind.SPF.prefix + ":") || storedKey.startsWith(Kind.FCRDNS.prefix + ":")
            || storedKey.startsWith(Kind.NETWORK.prefix + ":")
            ? parse(storedKey) : network(ClientNetwork.parse(storedKey));
    }

    /** The client network, for an identity that is one. */
    public Optional<ClientNetwork> network() {
        return kind == Kind.NETWORK ? Optional.of(ClientNetwork.parse(value)) : Optional.empty();
    }

    /** True when the client proved a domain, false when it is known by its network only. */
    public boolean isProven() {
        return kind != Kind.NETWORK;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof ClientIdentity) {
            ClientIdentity other = (ClientIdentity) o;
            return kind == other.kind && value.equals(other.value);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }

    @Override
    public String toString() {
        return key();
    }
}
