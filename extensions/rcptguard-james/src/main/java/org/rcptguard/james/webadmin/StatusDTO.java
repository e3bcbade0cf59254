package org.rcptguard.james.webadmin;

import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.james.RcptGuardNode;

/** This node: its name, mode and store, when it started, and when it last read the shared whitelist. */
public class StatusDTO {
    private final String node;
    private final String mode;
    private final String store;
    private final Instant startedAt;
    private final String whitelistRefresh;
    private final Optional<Instant> whitelistRefreshedAt;

    StatusDTO(RcptGuardNode node, RcptGuardConfiguration configuration, SharedWhitelist sharedWhitelist) {
        this.node = node.name();
        this.mode = configuration.mode().settingValue();
        this.store = configuration.store();
        this.startedAt = node.startedAt();
        this.whitelistRefresh = RcptGuardSettings.format(configuration.whitelistRefresh());
        this.whitelistRefreshedAt = sharedWhitelist.refreshedAt();
    }

    public String getNode() {
        return node;
    }

    public String getMode() {
        return mode;
    }

    public String getStore() {
        return store;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public String getWhitelistRefresh() {
        return whitelistRefresh;
    }

    /** Null until the first read. */
    public Optional<Instant> getWhitelistRefreshedAt() {
        return whitelistRefreshedAt;
    }
}
