package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.memory.MemoryWhitelistStore;
import org.rcptguard.core.store.WhitelistStore;

class SharedWhitelistTest {
    private final MutableClock clock = new MutableClock();
    private final MemoryWhitelistStore store = new MemoryWhitelistStore();
    private final SharedWhitelist whitelist = new SharedWhitelist(store, clock);

    @Test
    void anotherNodesChangeIsSeenAtTheNextRefreshOnly() throws Exception {
        store.add(WhitelistEntry.client("192.0.2.0/24"));

        assertThat(whitelist.current().match(InetAddress.getByName("192.0.2.1"), Mail.sender("a@b.example"), Mail.address("c@example.com"))).isEmpty();
        assertThat(whitelist.refreshedAt()).isEmpty();

        whitelist.refresh();

        assertThat(whitelist.current().match(InetAddress.getByName("192.0.2.1"), Mail.sender("a@b.example"), Mail.address("c@example.com")))
            .contains(Decision.Reason.WHITELISTED_CLIENT);
        assertThat(whitelist.refreshedAt()).contains(clock.instant());
    }

    @Test
    void aChangeThroughThisNodeIsSeenAtOnce() throws Exception {
        whitelist.add(WhitelistEntry.recipient("example.com"));

        assertThat(whitelist.current().match(InetAddress.getByName("192.0.2.1"), Mail.sender("a@b.example"), Mail.address("c@example.com")))
            .contains(Decision.Reason.RECIPIENT_OPT_OUT);
        assertThat(whitelist.entries()).containsExactly(WhitelistEntry.recipient("example.com"));

        whitelist.remove(WhitelistEntry.recipient("example.com"));

        assertThat(whitelist.current().match(InetAddress.getByName("192.0.2.1"), Mail.sender("a@b.example"), Mail.address("c@example.com"))).isEmpty();
    }

    @Test
    void aFailedRefreshKeepsTheLastSnapshot() {
        boolean[] down = {false};
        WhitelistStore flaky = new WhitelistStore() {
            @Override
            public List<WhitelistEntry> list() {
                if (down[0]) {
                    throw new IllegalStateException("store down");
                }
                return List.of(WhitelistEntry.sender("partner.example"));
            }

            @Override
            public void add(WhitelistEntry entry) {
            }

            @Override
            public void remove(WhitelistEntry entry) {
            }
        };
        SharedWhitelist shared = new SharedWhitelist(flaky, clock);
        shared.refresh();
        down[0] = true;

        assertThatThrownBy(shared::refresh).hasMessageContaining("store down");
        assertThat(shared.entries()).containsExactly(WhitelistEntry.sender("partner.example"));
    }
}
