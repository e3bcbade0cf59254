package org.rcptguard.james.content;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.rcptguard.core.content.OnFailure;
import org.rcptguard.core.content.ScanFailedException;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Pings each scanner ({@code PING}, {@code /ping}). Degraded while one does not answer: its messages get 451 4.3.0,
 * or are accepted unscanned with {@code on-failure=accept}. {@code GET /healthcheck/checks/RcptGuard%20content%20scanners}.
 */
public class ContentHealthCheck implements HealthCheck {
    public static final String NAME = "RcptGuard content scanners";

    private final ContentScanners scanners;

    @Inject
    public ContentHealthCheck(ContentScanners scanners) {
        this.scanners = scanners;
    }

    @Override
    public ComponentName componentName() {
        return new ComponentName(NAME);
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(() -> {
            List<String> problems = new ArrayList<>();
            for (ConfiguredScanner scanner : scanners.all()) {
                try {
                    scanner.scanner().ping();
                } catch (ScanFailedException | RuntimeException e) {
                    problems.add(scanner.scanner().name() + " is not answering (" + e.getMessage() + "): its messages are "
                        + (scanner.onFailure() == OnFailure.ACCEPT ? "accepted unscanned" : "deferred with 451 4.3.0"));
                }
            }
            return problems.isEmpty() ? Result.healthy(componentName()) : Result.degraded(componentName(), String.join("; ", problems));
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
