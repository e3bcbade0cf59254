package org.rcptguard.james;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.rcptguard.core.store.RcptGuardStores;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James health check {@value #NAME} ({@code additional.healthchecks=org.rcptguard.james.RcptGuardHealthCheck} in
 * healthcheck.properties): unhealthy when RcptGuard's store cannot be reached (one read as the RCPT path reads, with
 * its timeout), healthy otherwise. While unhealthy every untrusted RCPT gets 451 4.3.0.
 *
 * <p>Not yet: degraded states for a directory backend down or a catch-all backend, as RcptGuard has no directory
 * but James's own so far.
 */
public class RcptGuardHealthCheck implements HealthCheck {
    public static final String NAME = "RcptGuard";
    private static final ComponentName COMPONENT = new ComponentName(NAME);

    private final RcptGuardStores stores;

    @Inject
    public RcptGuardHealthCheck(RcptGuardStores stores) {
        this.stores = stores;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
                stores.probe();
                return Result.healthy(COMPONENT);
            })
            .onErrorResume(e -> Mono.just(Result.unhealthy(COMPONENT,
                "RcptGuard store cannot be reached: every untrusted RCPT is deferred with 451 4.3.0 (" + describe(e) + ")", e)))
            // the probe blocks for at most the store's statement timeout
            .subscribeOn(Schedulers.boundedElastic());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
