package org.rcptguard.core.store;

import java.util.Locale;
import java.util.Objects;

import org.rcptguard.core.ClientNetwork;

/** A client network named an unknown recipient of a governed domain: the evidence of a harvest of that domain. */
public final class DomainProbe {
    private final String domain;
    private final String recipient;
    private final ClientNetwork clientNetwork;

    /** The domain and the recipient are compared lower-cased. */
    public DomainProbe(String domain, String recipient, ClientNetwork clientNetwork) {
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.recipient = recipient.toLowerCase(Locale.ROOT);
        this.clientNetwork = Objects.requireNonNull(clientNetwork);
    }

    public String domain() {
        return domain;
    }

    public String recipient() {
        return recipient;
    }

    public ClientNetwork clientNetwork() {
        return clientNetwork;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof DomainProbe) {
            DomainProbe other = (DomainProbe) o;
            return domain.equals(other.domain) && recipient.equals(other.recipient) && clientNetwork.equals(other.clientNetwork);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, recipient, clientNetwork);
    }

    @Override
    public String toString() {
        return "DomainProbe{" + domain + ", " + recipient + ", " + clientNetwork + "}";
    }
}
