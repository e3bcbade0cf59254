package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.memory.MemoryClientNetworkStore;
import org.rcptguard.core.memory.MemoryTripletStore;
import org.rcptguard.core.store.TripletStore;

class GreylistTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger writes = new AtomicInteger();
    private final MemoryTripletStore memory = new MemoryTripletStore(clock, 1000);
    private final TripletStore counting = new TripletStore() {
        @Override
        public Optional<TripletRecord> find(Triplet triplet) {
            return memory.find(triplet);
        }

        @Override
        public void save(Triplet triplet, TripletRecord record, Duration ttl) {
            writes.incrementAndGet();
            memory.save(triplet, record, ttl);
        }

        @Override
        public void forget(Triplet triplet) {
            writes.incrementAndGet();
            memory.forget(triplet);
        }
    };
    private final Greylist greylist = new Greylist(counting, new MemoryClientNetworkStore(clock, 1000, 5), clock,
        RcptGuardConfiguration.defaults());
    private final Triplet triplet = new Triplet(ClientNetwork.parse("192.0.2.0/24"), "a@sender.example", "alice@example.com");

    @Test
    void steadyTrafficOnAPassedTripletWritesItsLastUseAtMostOnceADay() {
        greylist.attempt(triplet);
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist.attempt(triplet)).isTrue();
        writes.set(0);

        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(greylist.attempt(triplet)).isTrue();
        }

        // 1000 minutes of traffic: under a day, so no write at all.
        assertThat(writes.get()).isZero();
        clock.advance(Duration.ofDays(1));
        greylist.attempt(triplet);
        assertThat(writes.get()).isEqualTo(1);
    }
}
