package org.rcptguard.core;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** A directory for unit tests: a set of valid addresses in governed domains; it can be made to fail. */
public final class StaticDirectory implements RecipientDirectory {
    private final Set<String> domains;
    private final Set<String> valid = new HashSet<>();
    private volatile boolean failing;
    private int lookups;

    public StaticDirectory(String... domains) {
        this.domains = Set.of(domains);
    }

    public StaticDirectory valid(String... addresses) {
        for (String address : addresses) {
            valid.add(address.toLowerCase(Locale.ROOT));
        }
        return this;
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public int lookups() {
        return lookups;
    }

    @Override
    public boolean governs(String domain) {
        return domains.contains(domain);
    }

    @Override
    public RecipientClass classify(String address) {
        lookups++;
        if (failing) {
            throw new IllegalStateException("directory down");
        }
        return valid.contains(address.toLowerCase(Locale.ROOT)) ? RecipientClass.VALID : RecipientClass.INVALID;
    }
}
