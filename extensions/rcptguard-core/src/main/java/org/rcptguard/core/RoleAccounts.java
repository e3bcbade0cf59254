package org.rcptguard.core;

import java.util.Locale;
import java.util.Set;

import org.apache.james.core.MailAddress;

/** postmaster@ and abuse@ of every governed domain: always valid, and accepted (RFC 5321, RFC 2142). */
public final class RoleAccounts {
    private static final Set<String> LOCAL_PARTS = Set.of("postmaster", "abuse");

    private RoleAccounts() {
    }

    public static boolean contains(MailAddress recipient) {
        return LOCAL_PARTS.contains(recipient.getLocalPart().toLowerCase(Locale.ROOT));
    }
}
