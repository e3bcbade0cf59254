package org.rcptguard.core;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.rcptguard.core.identity.ClientIdentity;

/** One RCPT TO as RcptGuard sees it. */
public final class RcptRequest {
    private final InetAddress clientAddress;
    private final boolean authenticated;
    private final boolean relayAllowed;
    private final MaybeSender sender;
    private final MailAddress recipient;
    private final Optional<ClientIdentity> identity;
    private final Optional<String> verifiedClientName;
    /** Asked for several times a decision: lower-cased once. */
    private final String recipientKey;

    /**
     * A client known by its network.
     *
     * @param sender the envelope sender, {@link MaybeSender#nullSender()} for {@code MAIL FROM:<>}
     */
    public RcptRequest(InetAddress clientAddress, boolean authenticated, boolean relayAllowed, MaybeSender sender,
                       MailAddress recipient) {
        this(clientAddress, authenticated, relayAllowed, sender, recipient, Optional.empty());
    }

    /** @param identity the client's identity for this transaction, empty when it is known by its network */
    public RcptRequest(InetAddress clientAddress, boolean authenticated, boolean relayAllowed, MaybeSender sender,
                       MailAddress recipient, Optional<ClientIdentity> identity) {
        this(clientAddress, authenticated, relayAllowed, sender, recipient, identity, Optional.empty());
    }

    /**
     * @param verifiedClientName the client's forward-confirmed reverse name, looked up only when postgrey's name
     *                           entries are read; empty when it has none, or was not looked up
     */
    public RcptRequest(InetAddress clientAddress, boolean authenticated, boolean relayAllowed, MaybeSender sender,
                       MailAddress recipient, Optional<ClientIdentity> identity, Optional<String> verifiedClientName) {
        this.identity = Objects.requireNonNull(identity);
        this.verifiedClientName = Objects.requireNonNull(verifiedClientName);
        this.clientAddress = Objects.requireNonNull(clientAddress);
        this.authenticated = authenticated;
        this.relayAllowed = relayAllowed;
        this.sender = Objects.requireNonNull(sender);
        this.recipient = Objects.requireNonNull(recipient);
        this.recipientKey = Addresses.key(recipient);
    }

    public InetAddress clientAddress() {
        return clientAddress;
    }

    /** The identity the triplet is keyed by: the proven domain, or empty for the client network. */
    public Optional<ClientIdentity> identity() {
        return identity;
    }

    /** The client's forward-confirmed reverse name: what postgrey's client name entries match. */
    public Optional<String> verifiedClientName() {
        return verifiedClientName;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public boolean relayAllowed() {
        return relayAllowed;
    }

    public MaybeSender sender() {
        return sender;
    }

    public MailAddress recipient() {
        return recipient;
    }

    /** The recipient as keyed in the store: lower case. */
    public String recipientKey() {
        return recipientKey;
    }

    public Domain recipientDomain() {
        return recipient.getDomain();
    }
}
