package org.rcptguard.james.inline;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.DaemonThreads;
import org.rcptguard.core.RcptGuardSettings.HostPort;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.DirectoryConfiguration.DomainSources;

/**
 * The route of each recipient: the backend of its domain when that domain is delivered in-line, else James's queue.
 * Domains naming the same backend share one {@link InlineBackend} and so its bound on sessions. Also owns the one
 * thread that ends a relay whose message transfer outlives its deadline (a blocked socket write has no timeout).
 */
@Singleton
public class InlineBackends implements AutoCloseable {
    /** The route of every recipient James queues: hosted domains and domains delivered by the queue. */
    public static final String QUEUE = "queue";

    private final Map<String, InlineBackend> byDomain;
    private final Map<String, InlineBackend> byName;
    private final Optional<ScheduledExecutorService> deadlines;

    @Inject
    public InlineBackends(DirectoryConfiguration configuration) {
        Map<String, InlineBackend> names = new HashMap<>();
        Map<String, InlineBackend> domains = new HashMap<>();
        for (DomainSources domain : configuration.domains().values()) {
            domain.inlineBackend().ifPresent(address -> domains.put(domain.domain(), names.computeIfAbsent(name(address),
                unused -> new InlineBackend(address, configuration.inline().maxSessions()))));
        }
        this.byDomain = Map.copyOf(domains);
        this.byName = Map.copyOf(names);
        this.deadlines = byName.isEmpty() ? Optional.empty() : Optional.of(Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("rcptguard-inline-deadlines")));
    }

    private static String name(HostPort address) {
        return address.host() + ":" + address.port();
    }

    public Optional<InlineBackend> of(MailAddress recipient) {
        return Optional.ofNullable(byDomain.get(recipient.getDomain().asString()));
    }

    /** The backend's name for a domain delivered in-line, else {@link #QUEUE}. */
    public String routeOf(MailAddress recipient) {
        return of(recipient).map(InlineBackend::name).orElse(QUEUE);
    }

    public Collection<InlineBackend> all() {
        return byName.values();
    }

    boolean enabled() {
        return !byName.isEmpty();
    }

    ScheduledExecutorService deadlines() {
        return deadlines.orElseThrow();
    }

    @Override
    @PreDestroy
    public void close() {
        deadlines.ifPresent(ScheduledExecutorService::shutdownNow);
    }
}
