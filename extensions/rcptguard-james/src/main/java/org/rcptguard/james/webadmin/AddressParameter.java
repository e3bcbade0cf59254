package org.rcptguard.james.webadmin;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;

/** A mail address given to a route, read by James's {@link MailAddress}. */
final class AddressParameter {
    private AddressParameter() {
    }

    /** @throws IllegalArgumentException naming {@code field} when {@code text} is not an address */
    static MailAddress parse(String field, String text) {
        try {
            return new MailAddress(text);
        } catch (AddressException e) {
            throw new IllegalArgumentException(String.format("Invalid '%s': '%s' is not an address", field, text), e);
        }
    }
}
