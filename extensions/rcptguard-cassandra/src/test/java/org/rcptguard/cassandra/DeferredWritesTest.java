package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class DeferredWritesTest {
    @Test
    void aWriteCompletesAfterTheCallerReturnsAndThenRunsItsEnd() {
        DeferredWrites writes = new DeferredWrites(4);
        CompletableFuture<Void> write = new CompletableFuture<>();
        AtomicBoolean done = new AtomicBoolean();

        writes.submit("a triplet", () -> write, () -> done.set(true));

        assertThat(done).isFalse();
        write.complete(null);
        assertThat(done).isTrue();
    }

    @Test
    void aFailedWriteIsNeitherThrownNorLeftPending() {
        DeferredWrites writes = new DeferredWrites(1);
        AtomicBoolean done = new AtomicBoolean();

        writes.submit("a triplet", () -> CompletableFuture.failedFuture(new IllegalStateException("timed out")), () -> done.set(true));
        writes.submit("a triplet", () -> {
            throw new IllegalStateException("not even sent");
        }, () -> { });

        assertThat(done).isTrue();
        // Both permits came back: a third write is deferred again.
        CompletableFuture<Void> third = new CompletableFuture<>();
        writes.submit("a triplet", () -> third, () -> { });
        assertThat(third).isNotDone();
    }

    @Test
    void beyondTheBoundTheCallerWaitsForItsOwnWriteAndNoneIsDropped() throws Exception {
        DeferredWrites writes = new DeferredWrites(1);
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        writes.submit("first", () -> first, () -> { });

        CountDownLatch returned = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            writes.submit("second", () -> second, () -> { });
            returned.countDown();
        });
        caller.start();

        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).as("waits while its own write is in flight").isFalse();
        second.complete(null);
        assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
        first.complete(null);
    }

    @Test
    void closingWaitsForTheWritesInFlight() throws Exception {
        DeferredWrites writes = new DeferredWrites(2);
        CompletableFuture<Void> write = new CompletableFuture<>();
        writes.submit("a triplet", () -> write, () -> { });

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
        write.complete(null);
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
    }
}
