package org.rcptguard.core;

import java.util.Locale;
import java.util.Set;

/** postmaster@ and abuse@ of every governed domain: always valid, and accepted (RFC 5321, RFC 2142). */
public final class RoleAccounts {
    private static final Set<String> LOCAL_PARTS = Set.of("postmaster", "abuse");

    private RoleAccounts() {
    }

    public static boolean isRoleAccount(String localPart) {
        return LOCAL_PARTS.contains(localPart.toLowerCase(Locale.ROOT));
    }

    static boolean contains(RcptRequest request) {
        String recipient = request.recipientKey();
        return isRoleAccount(recipient.substring(0, recipient.lastIndexOf('@')));
    }
}
