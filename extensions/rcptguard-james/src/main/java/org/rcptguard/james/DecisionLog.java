package org.rcptguard.james;

import javax.inject.Singleton;

import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.Decision;
import org.rcptguard.core.RcptRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per RCPT decision, on the logger {@code org.rcptguard.decisions}. */
@Singleton
public class DecisionLog {
    private static final Logger LOGGER = LoggerFactory.getLogger("org.rcptguard.decisions");

    void log(SMTPSession session, RcptRequest request, Decision decision) {
        if (LOGGER.isInfoEnabled()) {
            LOGGER.info("client={} session={} sender=<{}> recipient=<{}> class={} outcome={} reason={}",
                request.clientAddress().getHostAddress(), session.getSessionID(), request.sender(), request.recipient(),
                decision.recipientClass().map(Enum::name).orElse("-"), decision.outcome(), decision.reason());
        }
    }
}
