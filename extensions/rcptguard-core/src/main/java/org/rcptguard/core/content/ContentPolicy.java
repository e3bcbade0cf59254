package org.rcptguard.core.content;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@link ContentProfile} a recipient has: entries are whole addresses ({@code abuse@example.com}), domains
 * ({@code example.org}) or local parts in every domain ({@code abuse@}). Opt-out wins over strict.
 */
public final class ContentPolicy {
    public static final ContentPolicy NONE = new ContentPolicy(Set.of(), Set.of());

    private final Set<String> optOut;
    private final Set<String> strict;

    public ContentPolicy(Set<String> optOut, Set<String> strict) {
        this.optOut = lowerCase(optOut);
        this.strict = lowerCase(strict);
    }

    public ContentProfile profileOf(String address) {
        if (matches(optOut, address)) {
            return ContentProfile.OPT_OUT;
        }
        return matches(strict, address) ? ContentProfile.STRICT : ContentProfile.NORMAL;
    }

    private static boolean matches(Set<String> entries, String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        return entries.contains(lower)
            || (at >= 0 && (entries.contains(lower.substring(at + 1)) || entries.contains(lower.substring(0, at + 1))));
    }

    private static Set<String> lowerCase(Set<String> entries) {
        return entries.stream().map(entry -> entry.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
