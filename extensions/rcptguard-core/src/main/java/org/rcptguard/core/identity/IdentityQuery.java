package org.rcptguard.core.identity;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client's identity is resolved from: its address, the name it gave at HELO/EHLO and the envelope sender of
 * the transaction (empty for {@code MAIL FROM:<>}). Nothing here depends on the recipients, so the answer, and the
 * time it takes, is the same for every recipient of the transaction. Immutable.
 */
public final class IdentityQuery {
    private final InetAddress client;
    private final String helo;
    private final String sender;

    private IdentityQuery(InetAddress client, String helo, String sender) {
        this.client = Objects.requireNonNull(client);
        this.helo = helo == null ? "" : helo.trim().toLowerCase(Locale.ROOT);
        this.sender = sender == null ? "" : sender.trim().toLowerCase(Locale.ROOT);
    }

    /** A query for a sender address ({@code local@domain}), or an empty or null sender for {@code MAIL FROM:<>}. */
    public static IdentityQuery of(InetAddress client, String helo, String sender) {
        return new IdentityQuery(client, helo, sender);
    }

    public InetAddress client() {
        return client;
    }

    /** The HELO/EHLO name, lower case; empty when none was given. */
    public String helo() {
        return helo;
    }

    /** The envelope sender, lower case; empty for the null sender. */
    public String sender() {
        return sender;
    }

    /**
     * The domain SPF speaks for: the sender's domain, or the HELO name for the null sender (RFC 7208, section 2.3);
     * empty when there is neither.
     */
    public Optional<String> spfDomain() {
        if (sender.isEmpty()) {
            return helo.isEmpty() ? Optional.empty() : Optional.of(helo);
        }
        int at = sender.lastIndexOf('@');
        return at < 0 || at == sender.length() - 1 ? Optional.empty() : Optional.of(sender.substring(at + 1));
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof IdentityQuery) {
            IdentityQuery other = (IdentityQuery) o;
            return client.equals(other.client) && helo.equals(other.helo) && sender.equals(other.sender);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(client, helo, sender);
    }

    @Override
    public String toString() {
        return client.getHostAddress() + " helo=" + helo + " from=<" + sender + ">";
    }
}
