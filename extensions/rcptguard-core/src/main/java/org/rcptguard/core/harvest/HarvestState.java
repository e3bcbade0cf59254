package org.rcptguard.core.harvest;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.rcptguard.core.store.DomainProbeStore;

/**
 * Which governed domains are under harvest, as this node sees them: a snapshot read from the
 * {@link DomainProbeStore} by {@link #refresh()} (every {@code harvest.refresh}, in the background), so that the
 * RCPT path reads memory only. The snapshot is at most one refresh period (plus one refresh's reads) older than the
 * store. A failed refresh throws and keeps the last snapshot, whose harvests still end by themselves.
 */
public final class HarvestState {
    private final DomainProbeStore store;
    private final HarvestDetector detector;
    private final Supplier<Set<String>> governedDomains;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

    /** @param governedDomains the domains to read at each refresh (lower case) */
    public HarvestState(DomainProbeStore store, HarvestDetector detector, Supplier<Set<String>> governedDomains, Clock clock) {
        this.store = store;
        this.detector = detector;
        this.governedDomains = governedDomains;
        this.clock = clock;
    }

    /** Reads every governed domain's tally and applies the rule; on failure, throws and keeps the previous snapshot. */
    public synchronized void refresh() {
        Map<String, DomainHarvest> previous = snapshot.harvests;
        Map<String, DomainHarvest> harvests = new HashMap<>();
        for (String domain : governedDomains.get()) {
            detector.assess(domain, store.tally(domain), Optional.ofNullable(previous.get(domain)), clock.instant())
                .ifPresent(harvest -> harvests.put(domain, harvest));
        }
        snapshot = new Snapshot(harvests, clock.instant());
    }

    /** Whether {@code domain} (lower case) is under harvest: no I/O. */
    public boolean underHarvest(String domain) {
        return harvest(domain).isPresent();
    }

    /** The domain's harvest, if it is on. */
    public Optional<DomainHarvest> harvest(String domain) {
        Instant now = clock.instant();
        return Optional.ofNullable(snapshot.harvests.get(domain)).filter(harvest -> harvest.isOn(now));
    }

    /** The harvests that are on, by domain. */
    public Map<String, DomainHarvest> harvests() {
        Instant now = clock.instant();
        Map<String, DomainHarvest> on = new HashMap<>();
        snapshot.harvests.forEach((domain, harvest) -> {
            if (harvest.isOn(now)) {
                on.put(domain, harvest);
            }
        });
        return Map.copyOf(on);
    }

    /** When the snapshot was read; empty before the first successful refresh. */
    public Optional<Instant> refreshedAt() {
        return Optional.ofNullable(snapshot.refreshedAt);
    }

    private static final class Snapshot {
        final Map<String, DomainHarvest> harvests;
        final Instant refreshedAt;

        Snapshot(Map<String, DomainHarvest> harvests, Instant refreshedAt) {
            this.harvests = Map.copyOf(harvests);
            this.refreshedAt = refreshedAt;
        }
    }
}
