package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.RecipientClass;

import com.datastax.oss.driver.api.core.CqlSession;

/** The verification cache on a real Cassandra: shared answers, TTLs, never an undecided one. */
class CassandraVerificationCacheTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static CqlSession session;
    static CassandraVerificationCache cache;

    @BeforeAll
    static void create() {
        session = CASSANDRA.newSession();
        CassandraStoreConfiguration configuration = TestConfigurations.forExtension(CASSANDRA);
        RcptGuardSchema.create(session, configuration);
        cache = new CassandraVerificationCache(session, configuration);
    }

    @Test
    void answersAreSharedBetweenInstancesUntilTheirTtl() throws Exception {
        assertThat(cache.find("alice@example.net")).isEmpty();
        cache.save("alice@example.net", RecipientClass.VALID, Duration.ofHours(24));
        cache.save("carol@example.net", RecipientClass.INVALID, Duration.ofSeconds(1));

        CassandraVerificationCache otherNode = new CassandraVerificationCache(session, TestConfigurations.forExtension(CASSANDRA));
        assertThat(otherNode.find("alice@example.net")).contains(RecipientClass.VALID);
        assertThat(otherNode.find("carol@example.net")).contains(RecipientClass.INVALID);

        Thread.sleep(3_100);
        assertThat(cache.find("carol@example.net")).isEmpty();
        assertThat(cache.find("alice@example.net")).contains(RecipientClass.VALID);
    }

    @Test
    void aNewerAnswerReplacesTheOlder() {
        cache.save("@example.net", RecipientClass.VALID, Duration.ofHours(1));
        cache.save("@example.net", RecipientClass.INVALID, Duration.ofHours(1));
        assertThat(cache.find("@example.net")).contains(RecipientClass.INVALID);
    }

    @Test
    void anUndecidedAnswerIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.save("x@example.net", RecipientClass.UNDECIDED, Duration.ofHours(1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
