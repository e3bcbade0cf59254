package org.rcptguard.cassandra;

import java.time.Duration;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Statement;

/** Consistency levels and per-statement timeout of {@link CassandraStoreConfiguration}, applied to each statement. */
final class StatementOptions {
    private final ConsistencyLevel readConsistency;
    private final ConsistencyLevel writeConsistency;
    private final Duration timeout;

    StatementOptions(CassandraStoreConfiguration configuration) {
        this.readConsistency = configuration.readConsistency();
        this.writeConsistency = configuration.writeConsistency();
        this.timeout = configuration.timeout();
    }

    /** Reads change nothing: the driver may retry them. */
    <S extends Statement<S>> S read(S statement) {
        return statement.setConsistencyLevel(readConsistency).setTimeout(timeout).setIdempotent(true);
    }

    /** Every write of RcptGuard sets fixed values (no counter, no list append): replaying it is harmless. */
    <S extends Statement<S>> S write(S statement) {
        return statement.setConsistencyLevel(writeConsistency).setTimeout(timeout).setIdempotent(true);
    }
}
