package org.rcptguard.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.core.identity.IdentityRulesTest.query;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BoundedIdentityResolverTest {
    private static final ClientIdentity NETWORK = ClientIdentity.parse("net:192.0.2.0/24");

    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void anAnswerWithinTheTimeoutIsKept() {
        try (BoundedIdentityResolver resolver = bounded(query -> SpfResult.PASS, 200, 2)) {
            assertThat(resolver.resolve(query("192.0.2.7", "h", "a@example.org"))).isEqualTo(ClientIdentity.spf("example.org"));
        }
    }

    @Test
    void aFinishedEvaluationFreesItsPlaceBeforeItsCallerGoesOn() {
        try (BoundedIdentityResolver resolver = bounded(query -> SpfResult.PASS, 1000, 1)) {
            for (int i = 0; i < 500; i++) {
                assertThat(resolver.resolve(query("192.0.2.7", "h", "a@example.org"))).isEqualTo(ClientIdentity.spf("example.org"));
            }
            assertThat(resolver.rejectedBusy()).isZero();
        }
    }

    @Test
    void aSlowEvaluationIsTheClientNetworkAtTheTimeout() {
        try (BoundedIdentityResolver resolver = bounded(this::hang, 200, 2)) {
            long start = System.nanoTime();

            ClientIdentity identity = resolver.resolve(query("192.0.2.7", "h", "a@example.org"));

            assertThat(identity).isEqualTo(NETWORK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(resolver.timeouts()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void theBoundCountsFromTheStartNotFromTheWait() throws Exception {
        try (BoundedIdentityResolver resolver = bounded(this::hang, 200, 2)) {
            Pending<ClientIdentity> pending = resolver.start(query("192.0.2.7", "h", "a@example.org"));
            Thread.sleep(300);

            long start = System.nanoTime();
            ClientIdentity identity = pending.await();

            assertThat(identity).isEqualTo(NETWORK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
            assertThat(resolver.timeouts()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void anAnswerThatCameBeforeTheWaitIsKeptAndStaysSettled() throws Exception {
        try (BoundedIdentityResolver resolver = bounded(this::hang, 2_000, 2)) {
            Pending<ClientIdentity> pending = resolver.start(query("192.0.2.7", "h", "a@example.org"));
            release.countDown();
            Thread.sleep(100);

            assertThat(pending.await()).isEqualTo(ClientIdentity.spf("example.org"));
            assertThat(pending.await()).isEqualTo(ClientIdentity.spf("example.org"));
        }
    }

    @Test
    void aTimedOutAnswerStaysTheNetworkForTheRestOfTheTransaction() throws Exception {
        try (BoundedIdentityResolver resolver = bounded(this::hang, 100, 2)) {
            Pending<ClientIdentity> pending = resolver.start(query("192.0.2.7", "h", "a@example.org"));
            assertThat(pending.await()).isEqualTo(NETWORK);

            release.countDown();
            Thread.sleep(100);

            assertThat(pending.await()).as("every recipient of the transaction keyed alike").isEqualTo(NETWORK);
            assertThat(resolver.timeouts()).isEqualTo(1);
        }
    }

    @Test
    void anEvaluationThatThrowsIsTheClientNetworkAndFreesItsPlace() {
        try (BoundedIdentityResolver resolver = bounded(query -> { throw new IllegalStateException("broken"); }, 1000, 1)) {
            for (int i = 0; i < 20; i++) {
                assertThat(resolver.resolve(query("192.0.2.7", "h", "a@example.org"))).isEqualTo(NETWORK);
            }
            assertThat(resolver.rejectedBusy()).isZero();
        }
    }

    @Test
    void whenEveryEvaluationIsBusyTheClientNetworkAtOnce() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (BoundedIdentityResolver resolver = bounded(this::hang, 10_000, 2)) {
            Future<ClientIdentity> first = callers.submit(() -> resolver.resolve(query("192.0.2.7", "h", "a@example.org")));
            Future<ClientIdentity> second = callers.submit(() -> resolver.resolve(query("192.0.2.8", "h", "a@example.org")));
            while (started() < 2) {
                Thread.sleep(10);
            }

            long start = System.nanoTime();
            ClientIdentity third = resolver.resolve(query("192.0.2.9", "h", "a@example.org"));

            assertThat(third).isEqualTo(NETWORK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(resolver.rejectedBusy()).isEqualTo(1);
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(ClientIdentity.spf("example.org"));
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(ClientIdentity.spf("example.org"));
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void aVerifiedNameIsLookedUpWhateverTheIdentitySettings() throws Exception {
        IdentitySettings off = new IdentitySettings(false, false, Duration.ofMillis(1000), 2);
        IdentityRules rules = new IdentityRules(query -> SpfResult.PASS,
            new IdentityRulesTest.FixedNames(Map.of("192.0.2.7", "mta1.out.example.org")), off, 24, 64);
        try (BoundedIdentityResolver resolver = new BoundedIdentityResolver(rules, off)) {
            assertThat(resolver.startVerifiedName(InetAddress.getByName("192.0.2.7")).await()).contains("mta1.out.example.org");
            assertThat(resolver.startVerifiedName(InetAddress.getByName("192.0.2.8")).await()).as("no confirmed name").isEmpty();
        }
    }

    @Test
    void aVerifiedNameThatDoesNotComeInTimeIsNoNameAndTheBoundCountsFromTheStart() throws Exception {
        try (BoundedIdentityResolver resolver = namesBounded(new HangingNames(release, "mta.example.org"), 200, 2)) {
            Pending<Optional<String>> pending = resolver.startVerifiedName(InetAddress.getByName("192.0.2.7"));
            Thread.sleep(300);

            long start = System.nanoTime();
            Optional<String> name = pending.await();

            assertThat(name).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
            assertThat(resolver.timeouts()).isEqualTo(1);

            release.countDown();
            Thread.sleep(100);
            assertThat(pending.await()).as("settled for the connection").isEmpty();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aVerifiedNameLookUpThatThrowsIsNoNameAndFreesItsPlace() throws Exception {
        ReverseNames broken = new IdentityRulesTest.FixedNames(Map.of()) {
            @Override
            public Optional<String> confirmedName(InetAddress client) {
                throw new IllegalStateException("broken");
            }
        };
        try (BoundedIdentityResolver resolver = namesBounded(broken, 1000, 1)) {
            for (int i = 0; i < 20; i++) {
                assertThat(resolver.startVerifiedName(InetAddress.getByName("192.0.2.7")).await()).isEmpty();
            }
            assertThat(resolver.rejectedBusy()).isZero();
        }
    }

    @Test
    void namesAndIdentitiesShareTheBoundOnConcurrentLookUps() throws Exception {
        try (BoundedIdentityResolver resolver = namesBounded(new HangingNames(release, "mta.example.org"), 10_000, 1)) {
            Pending<Optional<String>> hanging = resolver.startVerifiedName(InetAddress.getByName("192.0.2.7"));

            long start = System.nanoTime();
            Optional<String> busyName = resolver.startVerifiedName(InetAddress.getByName("192.0.2.8")).await();
            ClientIdentity busyIdentity = resolver.resolve(query("192.0.2.9", "h", "a@example.org"));

            assertThat(busyName).isEmpty();
            assertThat(busyIdentity).isEqualTo(ClientIdentity.parse("net:192.0.2.0/24"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(resolver.rejectedBusy()).isEqualTo(2);
            release.countDown();
            assertThat(hanging.await()).contains("mta.example.org");
        } finally {
            release.countDown();
        }
    }

    private static BoundedIdentityResolver namesBounded(ReverseNames names, long timeoutMillis, int maxConcurrent) {
        IdentitySettings settings = new IdentitySettings(true, false, Duration.ofMillis(timeoutMillis), maxConcurrent);
        return new BoundedIdentityResolver(new IdentityRules(query -> SpfResult.PASS, names, settings, 24, 64), settings);
    }

    private int started;

    private synchronized int started() {
        return started;
    }

    private SpfResult hang(IdentityQuery query) {
        synchronized (this) {
            started++;
        }
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SpfResult.TEMPERROR;
        }
        return SpfResult.PASS;
    }

    private static BoundedIdentityResolver bounded(SpfCheck spf, long timeoutMillis, int maxConcurrent) {
        IdentitySettings settings = new IdentitySettings(true, false, Duration.ofMillis(timeoutMillis), maxConcurrent);
        return new BoundedIdentityResolver(new IdentityRules(spf, new IdentityRulesTest.FixedNames(Map.of()), settings, 24, 64), settings);
    }
}
