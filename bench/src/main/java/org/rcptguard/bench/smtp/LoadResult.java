package org.rcptguard.bench.smtp;

import java.time.Duration;

/** What one bounded run of the load generator measured. */
public final class LoadResult {
    private final Duration elapsed;
    private final long accepted;
    private final long deferred;
    private final long rejected;
    private final long messages;
    private final long transactions;
    private final long sessions;
    private final long errors;
    private final double p50;
    private final double p99;
    private final double p999;

    LoadResult(Duration elapsed, long accepted, long deferred, long rejected, long messages, long transactions, long sessions,
               long errors, LatencyRecorder latencies) {
        this.elapsed = elapsed;
        this.accepted = accepted;
        this.deferred = deferred;
        this.rejected = rejected;
        this.messages = messages;
        this.transactions = transactions;
        this.sessions = sessions;
        this.errors = errors;
        this.p50 = latencies.percentileMillis(0.50);
        this.p99 = latencies.percentileMillis(0.99);
        this.p999 = latencies.percentileMillis(0.999);
    }

    public long rcptDecisions() {
        return accepted + deferred + rejected;
    }

    public double rcptPerSecond() {
        return rcptDecisions() / seconds();
    }

    public double messagesPerSecond() {
        return messages / seconds();
    }

    public long accepted() {
        return accepted;
    }

    public long deferred() {
        return deferred;
    }

    public long rejected() {
        return rejected;
    }

    public long messages() {
        return messages;
    }

    /** Transactions whose MAIL FROM the server answered. */
    public long transactions() {
        return transactions;
    }

    public long sessions() {
        return sessions;
    }

    /** Sessions that broke off: connection refused or closed, timeout, an unexpected banner or EHLO reply. */
    public long errors() {
        return errors;
    }

    public double p50Millis() {
        return p50;
    }

    public double p99Millis() {
        return p99;
    }

    public double p999Millis() {
        return p999;
    }

    private double seconds() {
        return Math.max(1e-3, elapsed.toNanos() / 1e9);
    }

    @Override
    public String toString() {
        return String.format("%,.0f RCPT/s, %,.0f msg/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms "
                + "(RCPT 2xx %,d / 4xx %,d / 5xx %,d, messages %,d, transactions %,d, sessions %,d, errors %,d, %.1f s)",
            rcptPerSecond(), messagesPerSecond(), p50, p99, p999, accepted, deferred, rejected, messages, transactions, sessions,
            errors, seconds());
    }
}
