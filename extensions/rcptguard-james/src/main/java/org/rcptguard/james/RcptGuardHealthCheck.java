package org.rcptguard.james;

import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.rcptguard.core.harvest.DomainHarvest;
import org.rcptguard.core.harvest.HarvestState;
import org.rcptguard.core.store.RcptGuardStores;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James health check {@value #NAME} ({@code additional.healthchecks=org.rcptguard.james.RcptGuardHealthCheck} in
 * healthcheck.properties): unhealthy when RcptGuard's store cannot be reached (one read as the RCPT path reads, with
 * its timeout); degraded while a governed domain is under harvest, naming it (the node serves as usual, and James
 * answers a degraded check with 200 like a healthy one, so no load balancer takes the node out; degraded is the
 * state that carries a detail an operator sees in {@code /healthcheck}); healthy otherwise. While unhealthy every
 * untrusted RCPT gets 451 4.3.0.
 *
 * <p>Not yet: degraded states for a directory backend down or a catch-all backend, as RcptGuard has no directory
 * but James's own so far.
 */
public class RcptGuardHealthCheck implements HealthCheck {
    public static final String NAME = "RcptGuard";
    private static final ComponentName COMPONENT = new ComponentName(NAME);

    private final RcptGuardStores stores;
    private final HarvestState harvests;

    @Inject
    public RcptGuardHealthCheck(RcptGuardStores stores, HarvestState harvests) {
        this.stores = stores;
        this.harvests = harvests;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
                stores.probe();
                Map<String, DomainHarvest> on = harvests.harvests();
                return on.isEmpty() ? Result.healthy(COMPONENT) : Result.degraded(COMPONENT, underHarvest(on));
            })
            .onErrorResume(e -> Mono.just(Result.unhealthy(COMPONENT,
                "RcptGuard store cannot be reached: every untrusted RCPT is deferred with 451 4.3.0 (" + describe(e) + ")", e)))
            // the probe blocks for at most the store's statement timeout
            .subscribeOn(Schedulers.boundedElastic());
    }

    private static String underHarvest(Map<String, DomainHarvest> on) {
        return "under harvest (networks without reputation get the harvest's scan threshold and delay): "
            + on.values().stream().sorted(Comparator.comparing(DomainHarvest::domain))
            .map(harvest -> harvest.domain() + " since " + harvest.since() + " (" + harvest.tally().unknownRecipients()
                + " unknown recipients from " + harvest.tally().clientNetworks() + " networks)")
            .collect(Collectors.joining(", "));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
