package org.rcptguard.core.content;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A header a scanner asks to remove (every copy, so a sender cannot forge {@code X-Spam-Status}) or to add. Names
 * and values are checked here: a scanner's answer must not be able to inject a line break into the message.
 */
public final class HeaderChange {
    private static final Pattern NAME = Pattern.compile("[!-9;-~]{1,76}");

    private final String name;
    private final Optional<String> value;

    private HeaderChange(String name, Optional<String> value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a header name: " + name);
        }
        this.name = name;
        this.value = value.map(Sanitised::text);
    }

    public static HeaderChange remove(String name) {
        return new HeaderChange(name, Optional.empty());
    }

    public static HeaderChange add(String name, String value) {
        return new HeaderChange(name, Optional.of(value));
    }

    public String name() {
        return name;
    }

    /** Empty for a removal. */
    public Optional<String> value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderChange && ((HeaderChange) o).name.equals(name) && ((HeaderChange) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value);
    }

    @Override
    public String toString() {
        return value.map(v -> "+" + name + ": " + v).orElse("-" + name);
    }
}
