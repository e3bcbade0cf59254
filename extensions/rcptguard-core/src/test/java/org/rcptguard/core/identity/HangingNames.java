package org.rcptguard.core.identity;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Reverse DNS that does not answer until {@code release} is counted down, then confirms every client as
 * {@code name}: for the bounds on a name look-up. Organisational domains as {@link IdentityRulesTest.FixedNames}.
 */
public final class HangingNames extends IdentityRulesTest.FixedNames {
    private final CountDownLatch release;
    private final String name;

    public HangingNames(CountDownLatch release, String name) {
        super(Map.of());
        this.release = release;
        this.name = name;
    }

    @Override
    public Optional<String> confirmedName(InetAddress client) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(name);
    }
}
