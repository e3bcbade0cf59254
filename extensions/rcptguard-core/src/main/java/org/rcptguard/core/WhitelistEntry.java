package org.rcptguard.core;

import java.util.Objects;

/** One whitelist entry: its kind and its value in canonical form. Immutable. */
public final class WhitelistEntry {
    private final WhitelistKind kind;
    private final String value;

    private WhitelistEntry(WhitelistKind kind, String value) {
        this.kind = Objects.requireNonNull(kind);
        this.value = Objects.requireNonNull(value);
    }

    /**
     * An entry of {@code kind} with {@code value} normalised (a CIDR canonical, a domain or address lower case).
     *
     * @throws IllegalArgumentException when the value is not one of that kind
     */
    public static WhitelistEntry of(WhitelistKind kind, String value) {
        return new WhitelistEntry(kind, kind.normalise(value));
    }

    public static WhitelistEntry client(String cidr) {
        return of(WhitelistKind.CLIENT, cidr);
    }

    public static WhitelistEntry sender(String domain) {
        return of(WhitelistKind.SENDER, domain);
    }

    public static WhitelistEntry recipient(String addressOrDomain) {
        return of(WhitelistKind.RECIPIENT, addressOrDomain);
    }

    public WhitelistKind kind() {
        return kind;
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof WhitelistEntry) {
            WhitelistEntry other = (WhitelistEntry) o;
            return kind == other.kind && value.equals(other.value);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }

    @Override
    public String toString() {
        return kind.settingValue() + ":" + value;
    }
}
