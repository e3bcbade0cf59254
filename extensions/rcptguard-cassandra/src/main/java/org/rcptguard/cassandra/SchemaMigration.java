package org.rcptguard.cassandra;

import java.util.List;

/**
 * One step of RcptGuard's Cassandra schema: its version, what it adds, and the CQL that adds it. Every statement
 * is additive and idempotent ({@code CREATE TABLE IF NOT EXISTS}, {@code ALTER TABLE ... ADD IF NOT EXISTS}):
 * running it again, or on two nodes at once, leaves the same schema and fails neither.
 */
public final class SchemaMigration {
    private final int version;
    private final String description;
    private final List<String> statements;

    SchemaMigration(int version, String description, List<String> statements) {
        if (version < 1 || statements.isEmpty()) {
            throw new IllegalArgumentException("A schema migration has a positive version and statements: " + version);
        }
        this.version = version;
        this.description = description;
        this.statements = List.copyOf(statements);
    }

    public int version() {
        return version;
    }

    public String description() {
        return description;
    }

    List<String> statements() {
        return statements;
    }

    @Override
    public String toString() {
        return version + " (" + description + ")";
    }
}
