package org.rcptguard.james.inline;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * The client's reply at the end of DATA for each outcome of an in-line relay. Only the backend's own 250 becomes a 250;
 * its permanent refusals keep their code, enhanced code and (sanitised) text; everything else is {@code 451 4.x.x}.
 */
final class InlineReplies {
    static final HookResult MIXED_ROUTES = soft("4.5.3 Recipients of several routes, send them in separate transactions");

    private InlineReplies() {
    }

    static HookResult of(RelayOutcome outcome) {
        switch (outcome.kind()) {
            case DELIVERED:
                BackendReply accepted = outcome.reply().orElseThrow();
                return HookResult.builder().hookReturnCode(HookReturnCode.ok()).smtpReturnCode("250")
                    .smtpDescription(accepted.enhancedCode().orElse("2.0.0") + " Delivered: " + accepted.sanitisedText()).build();
            case REJECTED:
                BackendReply refused = outcome.reply().orElseThrow();
                return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode(String.valueOf(refused.code()))
                    .smtpDescription(refused.enhancedCode().orElse("5.0.0") + " " + refused.sanitisedText()).build();
            case STALE_RECIPIENT:
                return soft("4.1.1 A recipient is no longer known here, send again");
            case DEFERRED:
                return soft("4.4.0 The destination deferred the message, try again later");
            case UNREACHABLE:
                return soft("4.4.1 The destination is not reachable, try again later");
            case LOST:
                return soft("4.4.2 The connection to the destination was lost, try again later");
            case BUSY:
                return soft("4.4.5 The destination is busy, try again later");
            default:
                throw new IllegalStateException(outcome.kind().toString());
        }
    }

    private static HookResult soft(String description) {
        return HookResult.builder().hookReturnCode(HookReturnCode.denySoft()).smtpReturnCode("451")
            .smtpDescription(description).build();
    }
}
