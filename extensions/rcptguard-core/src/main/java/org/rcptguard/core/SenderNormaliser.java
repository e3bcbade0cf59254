package org.rcptguard.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces an envelope sender to the part that stays the same across retries, so that a retry matches its
 * triplet: lower case; SRS rewritten back to the original sender; the BATV {@code prvs=} tag removed;
 * the {@code +ext} removed; numeric VERP parts replaced by {@code #}.
 */
public final class SenderNormaliser {
    /** The key of the null sender ({@code MAIL FROM:<>}). */
    public static final String NULL_SENDER = "<>";

    private static final Pattern SRS0 = Pattern.compile("^srs0[=+-][^=]+=[^=]+=([^=]+)=(.+)@[^@]+$");
    private static final Pattern SRS1 = Pattern.compile("^srs1[=+-][^=]+=[^=]+==[^=]+=[^=]+=([^=]+)=(.+)@[^@]+$");
    private static final Pattern BATV = Pattern.compile("^(?:prvs|msprvs1)=[0-9a-z]+=(.+@[^@]+)$");
    private static final Pattern NUMBER = Pattern.compile("\\b\\d+\\b");

    private SenderNormaliser() {
    }

    public static String normalise(String sender) {
        if (sender == null || sender.isBlank() || sender.equals(NULL_SENDER)) {
            return NULL_SENDER;
        }
        String address = sender.trim().toLowerCase(Locale.ROOT);
        address = replaceWhole(SRS1, address);
        address = replaceWhole(SRS0, address);
        Matcher batv = BATV.matcher(address);
        if (batv.matches()) {
            address = batv.group(1);
        }
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String domain = at < 0 ? "" : address.substring(at);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        local = NUMBER.matcher(local).replaceAll("#");
        return local + domain;
    }

    private static String replaceWhole(Pattern srs, String address) {
        Matcher matcher = srs.matcher(address);
        return matcher.matches() ? matcher.group(2) + "@" + matcher.group(1) : address;
    }
}
