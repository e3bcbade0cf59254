package org.rcptguard.core.directory;

import org.rcptguard.core.RecipientClass;

/** Asks a domain's backend whether it accepts an address (MAIL FROM:&lt;&gt;, RCPT TO, QUIT; never DATA). */
@FunctionalInterface
public interface SmtpVerifier {
    /** 250 → VALID; 550, 551, 553 → INVALID; anything else, a failure or a timeout → UNDECIDED (or an exception). */
    RecipientClass verify(String address) throws Exception;
}
