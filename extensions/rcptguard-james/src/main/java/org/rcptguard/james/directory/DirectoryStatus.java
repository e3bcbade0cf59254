package org.rcptguard.james.directory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import java.util.Optional;

import javax.inject.Singleton;

import org.rcptguard.core.directory.CallForwardSource;
import org.rcptguard.core.directory.CircuitBreakingSource;
import org.rcptguard.core.directory.VerificationCache;

/**
 * The state of this James node's recipient sources, for the health check ({@link DirectoryHealthCheck}), metrics or
 * WebAdmin (inject it: one instance per node): which backends were last seen as catch-all, which sources are being
 * skipped as down.
 */
@Singleton
public class DirectoryStatus {
    private final List<CallForwardSource> callForwards = new CopyOnWriteArrayList<>();
    private final List<CircuitBreakingSource> breakers = new CopyOnWriteArrayList<>();
    private volatile VerificationCache verificationCache;

    void register(List<CallForwardSource> callForwards, List<CircuitBreakingSource> breakers, VerificationCache verificationCache) {
        this.verificationCache = verificationCache;
        this.callForwards.clear();
        this.callForwards.addAll(callForwards);
        this.breakers.clear();
        this.breakers.addAll(breakers);
    }

    /** Domains whose backend accepted a random address: their recipients are deferred until it refuses them again. */
    public List<String> catchAllDomains() {
        return callForwards.stream().filter(CallForwardSource::catchAllDetected).map(source -> source.domain().asString())
            .collect(Collectors.toUnmodifiableList());
    }

    /** Sources (e.g. {@code ldap ldap://...}, {@code smtp host:25}) skipped after failing repeatedly. */
    public List<String> downSources() {
        return breakers.stream().filter(CircuitBreakingSource::isOpen).map(CircuitBreakingSource::name)
            .collect(Collectors.toUnmodifiableList());
    }

    /** The SMTP verification cache of this node's directory; empty when no domain is verified over SMTP. */
    public Optional<VerificationCache> verificationCache() {
        return Optional.ofNullable(verificationCache);
    }

    /** Checks made against all SMTP backends since start. */
    public long checks() {
        return callForwards.stream().mapToLong(CallForwardSource::checks).sum();
    }
}
