package org.rcptguard.james.inline;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/** How one in-line relay ended: what the backend said, or why it could not be asked. */
public final class RelayOutcome {
    /** The outcomes, as the decision log and the metrics name them. */
    public enum Kind {
        /** The backend accepted the message for every recipient. */
        DELIVERED,
        /** The backend refused the message permanently (5xx to MAIL or after DATA). */
        REJECTED,
        /** The backend refused some recipient as unknown at RCPT although the directory had it valid. */
        STALE_RECIPIENT,
        /** The backend deferred (4xx), or refused a recipient for another reason: try again. */
        DEFERRED,
        /** The backend could not be reached, or did not greet in time. */
        UNREACHABLE,
        /** The session broke or timed out once started. */
        LOST,
        /** The backend had as many in-line sessions as allowed. */
        BUSY
    }

    private final Kind kind;
    private final Optional<BackendReply> reply;
    private final List<MailAddress> staleRecipients;
    private final String detail;

    private RelayOutcome(Kind kind, Optional<BackendReply> reply, List<MailAddress> staleRecipients, String detail) {
        this.kind = kind;
        this.reply = reply;
        this.staleRecipients = List.copyOf(staleRecipients);
        this.detail = detail;
    }

    static RelayOutcome of(Kind kind, BackendReply reply, String step) {
        return new RelayOutcome(kind, Optional.of(reply), List.of(), step);
    }

    static RelayOutcome failed(Kind kind, String detail) {
        return new RelayOutcome(kind, Optional.empty(), List.of(), detail);
    }

    static RelayOutcome stale(List<MailAddress> recipients, BackendReply reply) {
        return new RelayOutcome(Kind.STALE_RECIPIENT, Optional.of(reply), recipients, "RCPT");
    }

    public Kind kind() {
        return kind;
    }

    /** The backend's reply that decided, if one did. */
    public Optional<BackendReply> reply() {
        return reply;
    }

    /** The recipients the backend refused as unknown (with {@link Kind#STALE_RECIPIENT}). */
    public List<MailAddress> staleRecipients() {
        return staleRecipients;
    }

    /** The step that decided ({@code MAIL}, {@code RCPT}, {@code DATA}, {@code end of data}), or what failed. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return kind + " " + detail + reply.map(r -> " " + r).orElse("");
    }
}
