package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.StoreLimits;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;

/**
 * A paused Cassandra (SIGSTOP: the TCP connection stays up, nothing answers): every store call fails with the
 * driver's exception within the statement timeout plus a margin, and works again soon after the node resumes, on
 * the same session.
 */
class CassandraStoreFailureTest {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final ClientNetwork NETWORK = ClientNetwork.parse("192.0.2.0/24");
    private static final Triplet TRIPLET = new Triplet(NETWORK, "sender@example.org", "alice@example.com");

    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static CassandraStores stores;

    @BeforeAll
    static void open() {
        stores = new RcptGuardCqlSessionFactory(TestConfigurations.forExtension(CASSANDRA, CassandraStoreConfiguration.TIMEOUT, "1s"))
            .open(Clock.systemUTC(), new StoreLimits(5, 74));
    }

    @AfterAll
    static void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private static Map<String, Runnable> calls() {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("TripletStore.find", () -> stores.tripletStore().find(TRIPLET));
        calls.put("TripletStore.save", () -> stores.tripletStore().save(TRIPLET, TripletRecord.firstSeen(Instant.now()), Duration.ofHours(1)));
        calls.put("ClientNetworkStore.load", () -> stores.clientNetworkStore().load(NETWORK));
        calls.put("ClientNetworkStore.recordPassedTriplet", () -> stores.clientNetworkStore().recordPassedTriplet(NETWORK, TRIPLET, Duration.ofHours(1)));
        calls.put("ClientNetworkStore.penalise", () -> stores.clientNetworkStore().penalise(NETWORK, new Penalty(1, Instant.now().plusSeconds(60))));
        calls.put("UnknownRecipientStore.recordAndCount", () -> stores.unknownRecipientStore().recordAndCount(NETWORK, "x@example.com", Duration.ofHours(1)));
        return calls;
    }

    @Test
    void aPausedNodeMakesEveryCallFailWithinTheTimeoutAndResumingHealsTheSameSession() {
        calls().values().forEach(Runnable::run); // warm: connections and prepared statements in place

        CassandraNode node = CASSANDRA.node();
        node.pause();
        try {
            for (Map.Entry<String, Runnable> call : calls().entrySet()) {
                long start = System.nanoTime();
                assertThatThrownBy(call.getValue()::run)
                    .as(call.getKey())
                    .isInstanceOfAny(DriverTimeoutException.class, AllNodesFailedException.class);
                Duration failedAfter = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("paused: %-40s failed after %d ms%n", call.getKey(), failedAfter.toMillis());
                assertThat(failedAfter).as(call.getKey()).isLessThan(STATEMENT_TIMEOUT.plus(MARGIN));
            }
        } finally {
            node.resume();
        }

        long resumed = System.nanoTime();
        for (Map.Entry<String, Runnable> call : calls().entrySet()) {
            RuntimeException last = retryUntil(call.getValue(), resumed);
            assertThat(last).as(call.getKey() + " still fails " + RECOVERY.toSeconds() + " s after resume").isNull();
        }
        System.out.printf("resumed: every call succeeds %d ms after resume%n", Duration.ofNanos(System.nanoTime() - resumed).toMillis());
    }

    /** Calls until it succeeds or {@link #RECOVERY} has passed since {@code since}; the last failure, or null. */
    private static RuntimeException retryUntil(Runnable call, long since) {
        RuntimeException last;
        do {
            try {
                call.run();
                return null;
            } catch (RuntimeException e) {
                last = e;
                sleep(100);
            }
        } while (Duration.ofNanos(System.nanoTime() - since).compareTo(RECOVERY) < 0);
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
