package org.rcptguard.james;

import java.util.Locale;
import java.util.Set;

import org.apache.james.core.MailAddress;

/** postmaster@ and abuse@ of every governed domain: always valid (RFC 5321, RFC 2142). */
final class RoleAccounts {
    private static final Set<String> LOCAL_PARTS = Set.of("postmaster", "abuse");

    private RoleAccounts() {
    }

    static boolean contains(MailAddress recipient) {
        return LOCAL_PARTS.contains(recipient.getLocalPart().toLowerCase(Locale.ROOT));
    }
}
