package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedBackgroundLookupsTest {
    private static final ClientNetwork FLOOD = ClientNetwork.parse("192.0.2.0/24");
    private static final ClientNetwork OTHER = ClientNetwork.parse("198.51.100.0/24");

    private final AtomicInteger droppedMetric = new AtomicInteger();
    private final BoundedBackgroundLookups lookups = new BoundedBackgroundLookups(1, 3, droppedMetric::incrementAndGet);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        release.countDown();
        lookups.close();
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        lookups.submit("example.net", FLOOD, () -> {
            busy.countDown();
            awaitRelease();
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            lookups.submit("example.net", FLOOD, record("queued" + i));
        }

        long start = System.nanoTime();
        lookups.submit("example.net", FLOOD, record("dropped"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMillis).as("the caller never waits for a free slot").isLessThan(100);
        assertThat(lookups.dropped()).isEqualTo(1);
        assertThat(droppedMetric).hasValue(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 3);
        assertThat(ran).containsExactly("queued0", "queued1", "queued2");
    }

    @Test
    void aFloodingNetworkGivesUpItsNewestLookUpToAnotherNetwork() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        lookups.submit("example.net", FLOOD, () -> {
            busy.countDown();
            awaitRelease();
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            lookups.submit("example.net", FLOOD, record("flood" + i));
        }

        lookups.submit("example.net", OTHER, record("other"));
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 3);
        // Served round-robin: the other network's look-up does not wait behind the flood.
        assertThat(ran).containsExactly("flood0", "other", "flood1");
        assertThat(lookups.dropped()).isEqualTo(8);
    }

    @Test
    void oneDomainsSlowLookUpsDoNotHoldAnotherDomains() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        lookups.submit("slow.example", FLOOD, () -> {
            busy.countDown();
            awaitRelease();
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();

        lookups.submit("example.com", FLOOD, record("hosted"));

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("hosted"));
    }

    @Test
    void lookUpsThatArriveWhileAWorkerLingersWakeNoOtherThread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (BoundedBackgroundLookups lingering = new BoundedBackgroundLookups(2, 100, droppedMetric::incrementAndGet,
            Duration.ofSeconds(2))) {
            lingering.submit("example.net", FLOOD, () -> threads.add(Thread.currentThread().getName()));
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
            // well within the linger: the worker has done its look-up and waits for the next
            Thread.sleep(200);

            for (int i = 0; i < 10; i++) {
                lingering.submit("example.net", i % 2 == 0 ? FLOOD : OTHER, () -> threads.add(Thread.currentThread().getName()));
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 11);
            // A second thread of the domain's two would have been started by a hand-over that woke one.
            assertThat(threads).containsOnly(threads.get(0));
        }
    }

    @Test
    void aSlowBackendGetsEveryThreadOfItsDomain() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        try (BoundedBackgroundLookups twoThreads = new BoundedBackgroundLookups(2, 10, droppedMetric::incrementAndGet)) {
            for (int i = 0; i < 2; i++) {
                twoThreads.submit("slow.example", FLOOD, () -> {
                    bothRunning.countDown();
                    awaitRelease();
                });
            }

            assertThat(bothRunning.await(5, TimeUnit.SECONDS)).as("both look-ups run at once").isTrue();
        }
    }

    @Test
    void anErrorThatEndsAWorkerDoesNotStallItsDomain() {
        lookups.submit("example.net", FLOOD, () -> {
            throw new StackOverflowError("a look-up that fails badly");
        });

        lookups.submit("example.net", FLOOD, record("after"));

        // The Error reaches the pool thread's uncaught-exception handler, as any Error in a pool does.
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("after"));
    }

    private Runnable record(String name) {
        return () -> ran.add(name);
    }

    private void awaitRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
