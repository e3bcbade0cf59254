package org.rcptguard.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The three kinds of whitelist entries: client networks, sender domains, recipients opting out. */
public enum WhitelistKind {
    /** A CIDR or a single address, stored in canonical CIDR form, e.g. {@code 192.0.2.0/24}. */
    CLIENT("client", text -> Cidr.parse(text).asString()),
    /** A sender domain (and its subdomains), lower case. */
    SENDER("sender", Whitelist::domain),
    /** A recipient address or a whole recipient domain ({@code example.com} or {@code @example.com}), lower case. */
    RECIPIENT("recipient", Whitelist::recipient);

    private final String settingValue;
    private final UnaryOperator<String> normaliser;

    WhitelistKind(String settingValue, UnaryOperator<String> normaliser) {
        this.settingValue = settingValue;
        this.normaliser = normaliser;
    }

    /** {@code client}, {@code sender} or {@code recipient}: how the kind is written in routes and in the store. */
    public String settingValue() {
        return settingValue;
    }

    /**
     * The kind written {@code client}, {@code sender} or {@code recipient}, or their plurals, any case.
     *
     * @throws IllegalArgumentException naming the accepted kinds
     */
    public static WhitelistKind parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
            .filter(kind -> kind.settingValue.equals(wanted) || (kind.settingValue + "s").equals(wanted))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown whitelist kind '" + text + "': expected one of "
                + Arrays.stream(values()).map(WhitelistKind::settingValue).collect(Collectors.joining(", "))));
    }

    /**
     * The canonical form of a value of this kind, as the whitelist compares it.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public String normalise(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty " + settingValue + " value");
        }
        return normaliser.apply(value.trim());
    }
}
