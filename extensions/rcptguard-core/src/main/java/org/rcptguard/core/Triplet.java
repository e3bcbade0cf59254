package org.rcptguard.core;

import java.util.Objects;

import org.rcptguard.core.identity.ClientIdentity;

/**
 * (client identity, normalised envelope sender, recipient): the unit that must prove it retries. The client is the
 * domain it proved (SPF, forward-confirmed reverse DNS) or else its client network, so a big sender's retry from
 * another network of its pool is the same triplet.
 */
public final class Triplet {
    private final ClientIdentity client;
    private final String sender;
    private final String recipient;

    public Triplet(ClientIdentity client, String sender, String recipient) {
        this.client = Objects.requireNonNull(client);
        this.sender = Objects.requireNonNull(sender);
        this.recipient = Objects.requireNonNull(recipient);
    }

    /** A triplet of a client known by its network. */
    public Triplet(ClientNetwork clientNetwork, String sender, String recipient) {
        this(ClientIdentity.network(clientNetwork), sender, recipient);
    }

    public ClientIdentity client() {
        return client;
    }

    public String sender() {
        return sender;
    }

    public String recipient() {
        return recipient;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof Triplet) {
            Triplet other = (Triplet) o;
            return client.equals(other.client) && sender.equals(other.sender) && recipient.equals(other.recipient);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(client, sender, recipient);
    }

    @Override
    public String toString() {
        return "(" + client.storedKey() + ", " + sender + ", " + recipient + ")";
    }
}
