package org.rcptguard.james.webadmin;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.WhitelistKind;
import org.rcptguard.core.store.RcptGuardStores;

/**
 * The whitelist as operators change it: entries of rcptguard.properties are read-only, entries set through WebAdmin
 * go to the shared store (this node applies them at once, the others within {@code whitelist.refresh}).
 */
public class WhitelistService {
    /** What {@link #remove} did. */
    public enum Removal {
        REMOVED,
        ABSENT,
        /** Set in rcptguard.properties: only a restart with a changed file removes it. */
        CONFIGURED
    }

    private final RcptGuardStores stores;
    private final SharedWhitelist sharedWhitelist;
    private final RcptGuardConfiguration configuration;

    @Inject
    public WhitelistService(RcptGuardStores stores, SharedWhitelist sharedWhitelist, RcptGuardConfiguration configuration) {
        this.stores = stores;
        this.sharedWhitelist = sharedWhitelist;
        this.configuration = configuration;
    }

    /** The configured entries as written, then the shared ones by kind and value; of {@code kind} only if given. */
    public List<WhitelistEntryDTO> list(Optional<WhitelistKind> kind) {
        Stream<WhitelistEntryDTO> configured = configuration.whitelist().entries().stream()
            .filter(entry -> kind.map(wanted -> entry.kind() == wanted).orElse(true))
            .map(entry -> new WhitelistEntryDTO(entry, WhitelistEntryDTO.SOURCE_CONFIGURATION));
        Stream<WhitelistEntryDTO> shared = stores.whitelistStore().list().stream()
            .filter(entry -> kind.map(wanted -> entry.kind() == wanted).orElse(true))
            .sorted(Comparator.comparing(WhitelistEntry::kind).thenComparing(WhitelistEntry::value))
            .map(entry -> new WhitelistEntryDTO(entry, WhitelistEntryDTO.SOURCE_WEBADMIN));
        return Stream.concat(configured, shared).collect(Collectors.toUnmodifiableList());
    }

    public void add(WhitelistEntry entry) {
        sharedWhitelist.add(entry);
    }

    public Removal remove(WhitelistEntry entry) {
        if (stores.whitelistStore().list().contains(entry)) {
            sharedWhitelist.remove(entry);
            return Removal.REMOVED;
        }
        return configuration.whitelist().contains(entry) ? Removal.CONFIGURED : Removal.ABSENT;
    }
}
