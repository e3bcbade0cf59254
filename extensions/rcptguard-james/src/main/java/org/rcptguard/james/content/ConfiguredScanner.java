package org.rcptguard.james.content;

import org.rcptguard.core.content.ContentScanner;
import org.rcptguard.core.content.Envelope;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.content.OnFailure;
import org.rcptguard.core.content.ScanFailedException;
import org.rcptguard.core.content.ScanOutcome;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;

/**
 * A scanner with its settings and its metrics: {@code rcptguard.content.NAME.ACTION} (verdicts by action,
 * {@code failure}, {@code oversize}) and the timer {@code rcptguard.content.NAME.scan}.
 */
public final class ConfiguredScanner {
    private final ContentScanner scanner;
    private final ContentSettings.Scanner settings;
    private final MetricFactory metrics;

    public ConfiguredScanner(ContentScanner scanner, ContentSettings.Scanner settings, MetricFactory metrics) {
        this.scanner = scanner;
        this.settings = settings;
        this.metrics = metrics;
    }

    public ContentScanner scanner() {
        return scanner;
    }

    public OnFailure onFailure() {
        return settings.onFailure();
    }

    /** Never throws: a bug in an adapter is a failure like a scanner that is down. */
    public ScanOutcome scan(Envelope envelope, MessageContent message) {
        ScanOutcome outcome = ask(envelope, message);
        metrics.generate("rcptguard.content." + scanner.name() + "." + outcome.label()).increment();
        return outcome;
    }

    private ScanOutcome ask(Envelope envelope, MessageContent message) {
        if (message.size() > settings.maxSize()) {
            return ScanOutcome.oversize();
        }
        TimeMetric timer = metrics.timer("rcptguard.content." + scanner.name() + ".scan");
        try {
            return ScanOutcome.of(scanner.scan(envelope, message));
        } catch (ScanFailedException | RuntimeException e) {
            return ScanOutcome.failed(e.getMessage());
        } finally {
            timer.stopAndPublish();
        }
    }
}
