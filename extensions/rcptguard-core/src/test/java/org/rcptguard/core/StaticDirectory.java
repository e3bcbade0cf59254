package org.rcptguard.core;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;

/**
 * A directory for unit tests: a set of valid addresses in governed domains; it can be made to fail, or to answer
 * UNDECIDED for some addresses (a chain whose list answers while its backend is down).
 */
public final class StaticDirectory implements RecipientDirectory {
    private final Set<String> domains;
    private final Set<String> valid = new HashSet<>();
    private final Set<String> undecided = new HashSet<>();
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

    public StaticDirectory undecided(String... addresses) {
        for (String address : addresses) {
            undecided.add(address.toLowerCase(Locale.ROOT));
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
    public boolean governs(Domain domain) {
        return domains.contains(domain.asString());
    }

    @Override
    public DirectoryAnswer lookUp(MailAddress address) {
        lookups++;
        if (failing) {
            throw new IllegalStateException("directory down");
        }
        String key = Addresses.key(address);
        if (undecided.contains(key)) {
            return Mail.answer(RecipientClass.UNDECIDED);
        }
        return Mail.answer(valid.contains(key) ? RecipientClass.VALID : RecipientClass.INVALID);
    }
}
