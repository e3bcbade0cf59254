package org.rcptguard.james.inline;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Degraded while a backend delivered to in-line does not greet (its domain's mail is deferred with 451 4.4.x): each
 * check connects to every backend and waits for its 220 at most the connect timeout.
 * {@code additional.healthchecks=org.rcptguard.james.inline.InlineHealthCheck}; {@code GET
 * /healthcheck/checks/RcptGuard%20in-line%20backends} tells which backend and why.
 */
public class InlineHealthCheck implements HealthCheck {
    public static final String NAME = "RcptGuard in-line backends";

    private final InlineBackends backends;
    private final Duration timeout;

    @Inject
    public InlineHealthCheck(InlineBackends backends, DirectoryConfiguration directory) {
        this.backends = backends;
        this.timeout = directory.inline().connectTimeout();
    }

    @Override
    public ComponentName componentName() {
        return new ComponentName(NAME);
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            List<String> problems = new ArrayList<>();
            for (InlineBackend backend : backends.all()) {
                String problem = greets(backend);
                if (problem != null) {
                    problems.add("backend " + backend.name() + " is down (" + problem + "): its mail is deferred");
                }
            }
            return problems.isEmpty() ? Result.healthy(componentName()) : Result.degraded(componentName(), String.join("; ", problems));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Null when the backend greets with 220, else why not. */
    private String greets(InlineBackend backend) {
        try (BackendConnection connection = BackendConnection.open(backend.address(), timeout)) {
            connection.timeout(timeout);
            BackendReply greeting = connection.reply();
            connection.quit();
            return greeting.code() == 220 ? null : "greeting " + greeting.code();
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
