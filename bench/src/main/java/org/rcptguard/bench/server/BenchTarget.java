package org.rcptguard.bench.server;

import java.time.Duration;
import java.util.OptionalDouble;

/** An SMTP server under measurement, started by the benchmark and stopped by {@link #close()}. */
public interface BenchTarget extends AutoCloseable {
    /** A short name for the tables, e.g. {@code rcptguard-memory}. */
    String name();

    int smtpPort();

    /** The greylisting delay the load must wait out to warm triplets up; zero for a server that does not greylist. */
    Duration greylistDelay();

    /** Cassandra requests made so far by RcptGuard's session, where the target counts them. */
    default OptionalDouble cassandraRequests() {
        return OptionalDouble.empty();
    }

    /** DNS queries its DNS server has received so far, where the target runs one of its own. */
    default OptionalDouble dnsQueries() {
        return OptionalDouble.empty();
    }

    /** Domains this target saw go under harvest so far (RcptGuard's {@code rcptguard_harvest_starts_total}), where it counts them. */
    default OptionalDouble harvestStarts() {
        return OptionalDouble.empty();
    }

    /** CPU seconds the target's own JVMs have used so far, where it forked them (not Postfix's many processes). */
    default OptionalDouble cpuSeconds() {
        return OptionalDouble.empty();
    }

    /**
     * CPU seconds the JIT compiler threads of the target's JVMs have used so far, where it forked them: the benchmark
     * warms a target up until they are idle.
     */
    default OptionalDouble compilerCpuSeconds() {
        return OptionalDouble.empty();
    }

    @Override
    void close();
}
