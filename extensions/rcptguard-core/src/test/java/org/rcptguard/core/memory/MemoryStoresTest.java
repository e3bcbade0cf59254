package org.rcptguard.core.memory;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Nested;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.DomainProbeStore;
import org.rcptguard.core.store.DomainProbeStoreContract;
import org.rcptguard.core.store.ClientNetworkStoreContract;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.TripletStoreContract;
import org.rcptguard.core.store.UnknownRecipientStore;
import org.rcptguard.core.store.UnknownRecipientStoreContract;
import org.rcptguard.core.store.WhitelistStore;
import org.rcptguard.core.store.WhitelistStoreContract;

class MemoryStoresTest {
    abstract static class WithClock {
        final MutableClock clock = new MutableClock();

        public Instant now() {
            return clock.instant();
        }

        public void advance(Duration duration) {
            clock.advance(duration);
        }
    }

    @Nested
    class Triplets extends WithClock implements TripletStoreContract {
        private final MemoryTripletStore store = new MemoryTripletStore(clock, 1000);

        @Override
        public TripletStore tripletStore() {
            return store;
        }
    }

    @Nested
    class ClientNetworks extends WithClock implements ClientNetworkStoreContract {
        private final MemoryClientNetworkStore store = new MemoryClientNetworkStore(clock, 1000, 10);

        @Override
        public ClientNetworkStore clientNetworkStore() {
            return store;
        }
    }

    @Nested
    class UnknownRecipients extends WithClock implements UnknownRecipientStoreContract {
        private final MemoryUnknownRecipientStore store = new MemoryUnknownRecipientStore(clock, 1000, 100);

        @Override
        public UnknownRecipientStore unknownRecipientStore() {
            return store;
        }
    }

    @Nested
    class DomainProbes extends WithClock implements DomainProbeStoreContract {
        private final MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, window(), 1000, maxCounted());

        @Override
        public DomainProbeStore domainProbeStore() {
            return store;
        }

        @Override
        public Duration window() {
            return Duration.ofHours(1);
        }

        @Override
        public int maxCounted() {
            return 20;
        }
    }

    @Nested
    class Whitelist implements WhitelistStoreContract {
        private final MemoryWhitelistStore store = new MemoryWhitelistStore();

        @Override
        public WhitelistStore whitelistStore() {
            return store;
        }
    }
}
