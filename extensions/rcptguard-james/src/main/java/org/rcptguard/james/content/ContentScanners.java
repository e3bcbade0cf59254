package org.rcptguard.james.content;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.MetricFactory;

/** The scanners set in {@code rcptguard.properties}, in the order they are asked: clamd (a virus is final), then rspamd. */
@Singleton
public class ContentScanners {
    private final List<ConfiguredScanner> all;

    @Inject
    public ContentScanners(ContentSettings settings, MetricFactory metrics) {
        List<ConfiguredScanner> scanners = new ArrayList<>();
        settings.clamd().ifPresent(clamd -> scanners.add(new ConfiguredScanner(
            new ClamdScanner(clamd.address(), clamd.timeout()), clamd, metrics)));
        settings.rspamd().ifPresent(rspamd -> scanners.add(new ConfiguredScanner(
            new RspamdScanner(URI.create(rspamd.address()), rspamd.timeout()), rspamd, metrics)));
        this.all = List.copyOf(scanners);
    }

    public List<ConfiguredScanner> all() {
        return all;
    }
}
