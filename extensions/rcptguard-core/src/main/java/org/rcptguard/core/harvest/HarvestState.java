package org.rcptguard.core.harvest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.ProbeTally;

/**
 * Which governed domains are under harvest, as this node sees them: a snapshot read from the
 * {@link DomainProbeStore} by {@link #refresh()} (every {@code harvest.refresh}, in the background), so that the
 * RCPT path reads memory only. The snapshot is at most one refresh period (plus one refresh's reads) older than the
 * store. A failed refresh throws and keeps the last snapshot, whose harvests still end by themselves.
 *
 * <p>A refresh reads only the domains probed through this node within the window, and those under harvest (so
 * that their harvest can end): a quiet domain costs no read. A harvest spread over the cluster reaches every node
 * it sends to, and a node it has not reached yet sees the harvest one refresh after its first probe there.
 *
 * <p>An operator may start a harvest by hand ({@link #start}: on for one window whatever the tallies) or end one
 * ({@link #end}: the domain's tallies are not assessed for one window). Both are {@link HarvestOverride}s written to
 * the store: they apply on this node at once and on every other node at its next refresh.
 */
public final class HarvestState {
    private final DomainProbeStore store;
    private final HarvestDetector detector;
    private final Duration window;
    private final Clock clock;
    /** When this node last recorded a probe of each domain. */
    private final Map<String, Instant> probedAt = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

    public HarvestState(DomainProbeStore store, HarvestDetector detector, Duration window, Clock clock) {
        this.store = store;
        this.detector = detector;
        this.window = window;
        this.clock = clock;
    }

    /** Records an unknown recipient of a governed domain: one write to the store. */
    public void record(DomainProbe probe) {
        store.record(probe);
        probedAt.put(probe.domain(), clock.instant());
    }

    /**
     * Reads the operators' overrides and the tallies of the domains to watch, and applies the rule; on failure,
     * throws and keeps the previous snapshot.
     */
    public synchronized void refresh() {
        Map<String, DomainHarvest> previous = snapshot.harvests;
        Instant now = clock.instant();
        Instant since = now.minus(window);
        probedAt.values().removeIf(at -> !at.isAfter(since));
        Map<String, HarvestOverride> inForce = new HashMap<>();
        store.overrides().stream().filter(override -> override.isInForce(now))
            .forEach(override -> inForce.put(override.domain(), override));
        Set<String> watched = new HashSet<>(probedAt.keySet());
        watched.addAll(harvests().keySet());
        watched.addAll(inForce.keySet());
        Map<String, DomainHarvest> harvests = new HashMap<>();
        for (String domain : watched) {
            Optional<HarvestOverride> override = Optional.ofNullable(inForce.get(domain));
            if (override.map(HarvestOverride::kind).orElse(null) == HarvestOverride.Kind.END) {
                continue;
            }
            ProbeTally tally = store.tally(domain);
            Optional<DomainHarvest> assessed = detector.assess(domain, tally, Optional.ofNullable(previous.get(domain)), now);
            assessed.or(() -> override.map(started -> byHand(started, tally)))
                .ifPresent(harvest -> harvests.put(domain, harvest));
        }
        snapshot = new Snapshot(harvests, now);
    }

    /** Puts {@code domain} under harvest by hand, on every node, for one window whatever its tallies. */
    public synchronized DomainHarvest start(String domain) {
        HarvestOverride override = override(domain, HarvestOverride.Kind.START);
        DomainHarvest harvest = byHand(override, harvest(domain).map(DomainHarvest::tally).orElse(ProbeTally.NONE));
        Map<String, DomainHarvest> harvests = new HashMap<>(snapshot.harvests);
        harvests.put(domain, harvest);
        snapshot = new Snapshot(harvests, snapshot.refreshedAt);
        return harvest;
    }

    /**
     * Ends the harvest of {@code domain} by hand, on every node: its tallies are not assessed for one window (the
     * probes that made it are still counted that long). Tells whether it was on, as this node saw it.
     */
    public synchronized boolean end(String domain) {
        boolean wasOn = harvest(domain).isPresent();
        override(domain, HarvestOverride.Kind.END);
        Map<String, DomainHarvest> harvests = new HashMap<>(snapshot.harvests);
        harvests.remove(domain);
        snapshot = new Snapshot(harvests, snapshot.refreshedAt);
        return wasOn;
    }

    /** Writes an override lasting one window from now; throws, changing nothing, when the store fails. */
    private HarvestOverride override(String domain, HarvestOverride.Kind kind) {
        Instant now = clock.instant();
        HarvestOverride override = new HarvestOverride(domain, kind, now, now.plus(window));
        store.override(override);
        return override;
    }

    private static DomainHarvest byHand(HarvestOverride started, ProbeTally tally) {
        return new DomainHarvest(started.domain(), tally, started.since(), started.until());
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
