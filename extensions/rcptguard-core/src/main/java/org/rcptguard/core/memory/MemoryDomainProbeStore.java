package org.rcptguard.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.HarvestOverride;
import org.rcptguard.core.store.ProbeTally;

/**
 * Probes per domain in memory, each living the window. Bounded: a domain keeps its {@code maxCounted} newest
 * probes (a tally never counts further), and at most {@code maxEntries / maxCounted} domains are kept, those written
 * last, so that the table holds at most {@code maxEntries} probes like the other memory tables. Probes are kept in
 * the order they were recorded, so expired ones are dropped from the head: a record costs O(1) under a flood.
 * Operators' overrides: at most one per domain, and as many domains as probes are kept for.
 */
public final class MemoryDomainProbeStore implements DomainProbeStore {
    private final Clock clock;
    private final Duration window;
    private final int maxCounted;
    private final int maxDomains;
    /** Domains in the order they were last written, each with its probes (recipient, network) and their expiry. */
    private final LinkedHashMap<String, LinkedHashMap<DomainProbe, Instant>> domains = new LinkedHashMap<>();
    /** Overrides in the order they were written. */
    private final LinkedHashMap<String, HarvestOverride> overrides = new LinkedHashMap<>();

    public MemoryDomainProbeStore(Clock clock, Duration window, int maxEntries, int maxCounted) {
        this.clock = clock;
        this.window = window;
        this.maxCounted = Math.max(1, maxCounted);
        this.maxDomains = Math.max(1, maxEntries / this.maxCounted);
    }

    @Override
    public synchronized void record(DomainProbe probe) {
        Instant now = clock.instant();
        // re-inserting moves the domain, and the probe, to the young end
        LinkedHashMap<DomainProbe, Instant> probes = domains.remove(probe.domain());
        if (probes == null) {
            probes = new LinkedHashMap<>();
        }
        domains.put(probe.domain(), probes);
        probes.remove(probe);
        probes.put(probe, now.plus(window));
        dropExpired(probes, now);
        Iterator<DomainProbe> oldest = probes.keySet().iterator();
        while (probes.size() > maxCounted) {
            oldest.next();
            oldest.remove();
        }
        Iterator<String> leastRecentlyWritten = domains.keySet().iterator();
        while (domains.size() > maxDomains) {
            leastRecentlyWritten.next();
            leastRecentlyWritten.remove();
        }
    }

    @Override
    public synchronized ProbeTally tally(String domain) {
        LinkedHashMap<DomainProbe, Instant> probes = domains.get(domain);
        if (probes == null) {
            return ProbeTally.NONE;
        }
        dropExpired(probes, clock.instant());
        Set<String> recipients = new HashSet<>();
        Set<ClientNetwork> networks = new HashSet<>();
        probes.keySet().forEach(probe -> {
            recipients.add(probe.recipient());
            networks.add(probe.clientNetwork());
        });
        return new ProbeTally(recipients.size(), networks.size());
    }

    @Override
    public synchronized void override(HarvestOverride override) {
        dropEnded(clock.instant());
        overrides.remove(override.domain());
        overrides.put(override.domain(), override);
        Iterator<String> leastRecentlyWritten = overrides.keySet().iterator();
        while (overrides.size() > maxDomains) {
            leastRecentlyWritten.next();
            leastRecentlyWritten.remove();
        }
    }

    @Override
    public synchronized List<HarvestOverride> overrides() {
        dropEnded(clock.instant());
        return List.copyOf(overrides.values());
    }

    private void dropEnded(Instant now) {
        overrides.values().removeIf(override -> !override.isInForce(now));
    }

    /** How many probes are held, over every domain. */
    synchronized int size() {
        return domains.values().stream().mapToInt(Map::size).sum();
    }

    private static void dropExpired(LinkedHashMap<DomainProbe, Instant> probes, Instant now) {
        Iterator<Map.Entry<DomainProbe, Instant>> oldest = probes.entrySet().iterator();
        while (oldest.hasNext() && !now.isBefore(oldest.next().getValue())) {
            oldest.remove();
        }
    }
}
