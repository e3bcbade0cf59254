package org.rcptguard.james.identity;

/**
 * The text of a TXT record as James's DNS service gives it, in zone-file form ({@code "v=spf1 " "ip4:192.0.2.0/24 -all"}):
 * the character strings unquoted, unescaped and joined, as RFC 7208 (section 3.3) reads a record split into strings.
 */
final class TxtRdata {
    private TxtRdata() {
    }

    static String text(String rdata) {
        String trimmed = rdata.trim();
        if (!trimmed.startsWith("\"")) {
            return trimmed;
        }
        StringBuilder text = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 1 < trimmed.length()) {
                i = unescape(trimmed, i + 1, text);
            } else if (quoted) {
                text.append(c);
            }
        }
        return text.toString();
    }

    /** Appends the escaped character at {@code from} ({@code \"}, {@code \\} or {@code \DDD}); the index of its last character. */
    private static int unescape(String rdata, int from, StringBuilder text) {
        if (from + 2 < rdata.length() && isDigits(rdata.substring(from, from + 3))) {
            text.append((char) Integer.parseInt(rdata.substring(from, from + 3)));
            return from + 2;
        }
        text.append(rdata.charAt(from));
        return from;
    }

    private static boolean isDigits(String text) {
        return text.chars().allMatch(Character::isDigit);
    }
}
