package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class DeferredWritesTest {
    /** Each request sent: its writes, and the future the test completes as Cassandra would. */
    private final List<List<String>> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> requests = new CopyOnWriteArrayList<>();
    private final Function<List<String>, CompletableFuture<?>> send = writes -> {
        CompletableFuture<Void> request = new CompletableFuture<>();
        sent.add(List.copyOf(writes));
        requests.add(request);
        return request;
    };

    @Test
    void aWriteFindingARequestFreeGoesAtOnceAloneAndEndsAfterTheCallerReturns() {
        DeferredWrites<String> writes = new DeferredWrites<>(send, 4, 10, 2);
        AtomicBoolean done = new AtomicBoolean();

        writes.submit("a triplet", "a", () -> done.set(true));

        assertThat(sent).containsExactly(List.of("a"));
        assertThat(done).isFalse();
        requests.get(0).complete(null);
        assertThat(done).isTrue();
    }

    @Test
    void writesArrivingWhileEveryRequestIsBusyLeaveTogetherWhenOneEndsAtMostABatchEach() {
        DeferredWrites<String> writes = new DeferredWrites<>(send, 100, 3, 1);
        for (int i = 0; i < 8; i++) {
            writes.submit("a triplet", "w" + i, () -> { });
        }
        assertThat(sent).containsExactly(List.of("w0"));

        requests.get(0).complete(null);
        assertThat(sent).hasSize(2).last().isEqualTo(List.of("w1", "w2", "w3"));
        requests.get(1).complete(null);
        assertThat(sent).hasSize(3).last().isEqualTo(List.of("w4", "w5", "w6"));
        requests.get(2).complete(null);
        assertThat(sent).hasSize(4).last().isEqualTo(List.of("w7"));
        requests.get(3).complete(null);
        assertThat(sent).hasSize(4);
    }

    @Test
    void aFailedRequestEndsEveryWriteInItWithoutThrowingAndFreesItsPermits() {
        AtomicInteger calls = new AtomicInteger();
        DeferredWrites<String> writes = new DeferredWrites<>(batch -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw new IllegalStateException("not even sent");
            }
            return call == 2 ? CompletableFuture.failedFuture(new IllegalStateException("timed out")) : send.apply(batch);
        }, 1, 10, 1);
        AtomicInteger done = new AtomicInteger();

        writes.submit("a triplet", "a", done::incrementAndGet);
        writes.submit("a triplet", "b", done::incrementAndGet);

        assertThat(done).hasValue(2);
        // The permit came back: a third write is deferred again (the caller returns while it is in flight).
        writes.submit("a triplet", "c", done::incrementAndGet);
        assertThat(sent).containsExactly(List.of("c"));
        assertThat(done).hasValue(2);
    }

    @Test
    void beyondTheBoundTheCallerWaitsForItsOwnWriteAndNoneIsDropped() throws Exception {
        DeferredWrites<String> writes = new DeferredWrites<>(send, 1, 10, 1);
        writes.submit("first", "first", () -> { });

        CountDownLatch returned = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            writes.submit("second", "second", () -> { });
            returned.countDown();
        });
        caller.start();

        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).as("waits while its own write is pending").isFalse();
        requests.get(0).complete(null);
        awaitRequests(2);
        assertThat(sent.get(1)).containsExactly("second");
        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).as("still waits: its own write is in flight").isFalse();
        requests.get(1).complete(null);
        assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingWaitsForTheWritesPending() throws Exception {
        DeferredWrites<String> writes = new DeferredWrites<>(send, 2, 10, 1);
        writes.submit("a triplet", "a", () -> { });
        writes.submit("a triplet", "b", () -> { });

        Thread closer = new Thread(() -> {
            try {
                writes.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        closer.join(300);
        assertThat(closer.isAlive()).isTrue();
        requests.get(0).complete(null);
        closer.join(300);
        assertThat(closer.isAlive()).as("the queued write is still in flight").isTrue();
        requests.get(1).complete(null);
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
    }

    private void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requests.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(requests).hasSize(count);
    }
}
