package org.rcptguard.james;


import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientDirectory;

/** The directory with every lookup timed: {@code rcptguard.directory.governs}, {@code rcptguard.directory.classify}. */
final class TimedDirectory implements RecipientDirectory {
    static final String GOVERNS = "rcptguard.directory.governs";
    static final String CLASSIFY = "rcptguard.directory.classify";

    private final RecipientDirectory directory;
    private final MetricFactory metricFactory;

    TimedDirectory(RecipientDirectory directory, MetricFactory metricFactory) {
        this.directory = directory;
        this.metricFactory = metricFactory;
    }

    @Override
    public boolean governs(Domain domain) throws Exception {
        TimeMetric timer = metricFactory.timer(GOVERNS);
        try {
            return directory.governs(domain);
        } finally {
            timer.stopAndPublish();
        }
    }

    @Override
    public DirectoryAnswer lookUp(MailAddress recipient) throws Exception {
        TimeMetric timer = metricFactory.timer(CLASSIFY);
        try {
            return directory.lookUp(recipient);
        } finally {
            timer.stopAndPublish();
        }
    }
}
