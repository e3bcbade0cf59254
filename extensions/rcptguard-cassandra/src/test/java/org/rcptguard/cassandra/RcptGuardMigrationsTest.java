package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The rule that lets nodes migrate at once and two releases share a keyspace, checked on every step: versions
 * numbered 1, 2, 3... in order, and every statement additive and idempotent.
 */
class RcptGuardMigrationsTest {
    private static final List<SchemaMigration> STEPS = RcptGuardMigrations.forKeyspace("rcptguard");

    @Test
    void stepsAreNumberedInOrderFromOne() {
        assertThat(STEPS.stream().map(SchemaMigration::version).collect(Collectors.toList()))
            .containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS.size()).boxed()
                .collect(Collectors.toList()));
    }

    @Test
    void everyStatementOnlyAddsAndMayRunTwice() {
        for (SchemaMigration step : STEPS) {
            for (String cql : step.statements()) {
                String statement = cql.toUpperCase(Locale.ROOT);
                assertThat(statement).as(step.toString())
                    .matches("CREATE TABLE IF NOT EXISTS RCPTGUARD\\.\\S+ .*|ALTER TABLE RCPTGUARD\\.\\S+ ADD IF NOT EXISTS .*");
                assertThat(statement).as(step.toString()).doesNotContain(" DROP ", " RENAME ", " ALTER TYPE ");
            }
        }
    }
}
