package org.rcptguard.core;

import java.util.Objects;

/** (client network, normalised envelope sender, recipient): the unit that must prove it retries. */
public final class Triplet {
    private final ClientNetwork clientNetwork;
    private final String sender;
    private final String recipient;

    public Triplet(ClientNetwork clientNetwork, String sender, String recipient) {
        this.clientNetwork = Objects.requireNonNull(clientNetwork);
        this.sender = Objects.requireNonNull(sender);
        this.recipient = Objects.requireNonNull(recipient);
    }

    public ClientNetwork clientNetwork() {
        return clientNetwork;
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
            return clientNetwork.equals(other.clientNetwork) && sender.equals(other.sender) && recipient.equals(other.recipient);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientNetwork, sender, recipient);
    }

    @Override
    public String toString() {
        return "(" + clientNetwork + ", " + sender + ", " + recipient + ")";
    }
}
