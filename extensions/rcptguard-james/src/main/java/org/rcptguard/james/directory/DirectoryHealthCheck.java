package org.rcptguard.james.directory;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * Degraded while a recipient source is down (its recipients get 451 4.3.0) or an SMTP backend accepts any address
 * (catch-all: its recipients are deferred). {@code additional.healthchecks=org.rcptguard.james.directory.DirectoryHealthCheck}
 * in {@code conf/healthcheck.properties}; {@code GET /healthcheck/checks/RcptGuard%20directories} tells why.
 */
public class DirectoryHealthCheck implements HealthCheck {
    public static final String NAME = "RcptGuard directories";

    private final DirectoryStatus status;

    @Inject
    public DirectoryHealthCheck(DirectoryStatus status) {
        this.status = status;
    }

    @Override
    public ComponentName componentName() {
        return new ComponentName(NAME);
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            List<String> problems = new ArrayList<>();
            status.downSources().forEach(source -> problems.add(source + " is not answering: its recipients are deferred"));
            status.catchAllDomains().forEach(domain -> problems.add("the backend of " + domain
                + " accepts any address (catch-all): its recipients are deferred"));
            return problems.isEmpty() ? Result.healthy(componentName()) : Result.degraded(componentName(), String.join("; ", problems));
        });
    }
}
