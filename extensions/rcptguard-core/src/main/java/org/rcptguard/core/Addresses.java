package org.rcptguard.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;

/** What RcptGuard adds to James's {@link MailAddress} and {@link Domain}: one domain syntax, one key, one length limit. */
public final class Addresses {
    /**
     * RFC 5321's domain (section 4.1.2): dot-separated labels of letters, digits and inner hyphens, at most 63
     * characters each. No dot is required: a single label ({@code localhost}) is a domain to SMTP and to James's
     * domain list. Stricter than {@link Domain#of}, which also takes underscores that no address's domain can have.
     */
    private static final Pattern DOMAIN = Pattern.compile(
        "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** RFC 5321, section 4.5.3.1.3: a forward-path is at most 256 octets, so the address within its brackets 254. */
    private static final int MAX_ADDRESS_OCTETS = 254;

    private Addresses() {
    }

    /**
     * The domain written {@code text}, lower case.
     *
     * @throws IllegalArgumentException naming the text when it is not a domain name
     */
    public static Domain domain(String text) {
        String lowerCase = text.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(lowerCase).matches()) {
            throw new IllegalArgumentException("not a domain name: '" + text + "'");
        }
        try {
            return Domain.of(lowerCase);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a domain name: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The address as RcptGuard keys it (stores, lists, caches): lower case, local part included. */
    public static String key(MailAddress address) {
        return address.asString().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether no mailbox can have this address: longer than any SMTP path can carry. Such a recipient is unknown
     * (INVALID), not a failure to look it up: no directory is asked (James's users repository, for one, refuses it).
     */
    public static boolean noMailboxCanHave(MailAddress address) {
        return address.asString().getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_OCTETS;
    }
}
