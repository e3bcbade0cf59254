package org.rcptguard.core.identity;

import java.net.InetAddress;
import java.util.Optional;

import org.rcptguard.core.ClientNetwork;

/**
 * The rules of a client's identity, in order:
 * <ol>
 *   <li>SPF {@code pass} for the sender's domain (the HELO name for {@code MAIL FROM:<>}) → that domain;</li>
 *   <li>else, when enabled, a forward-confirmed reverse name → its organisational domain;</li>
 *   <li>else the client network, as if identities did not exist.</li>
 * </ol>
 * Every other SPF result ({@code fail}, {@code softfail}, {@code neutral}, {@code none}, {@code temperror},
 * {@code permerror}) proves nothing and falls through: an identity only ever groups a client's attempts, it never
 * refuses or accepts anything. A port that throws counts as no proof. Time is bounded by
 * {@link BoundedIdentityResolver}, not here.
 */
public final class IdentityRules {
    private final SpfCheck spf;
    private final ReverseNames reverseNames;
    private final IdentitySettings settings;
    private final int ipv4Prefix;
    private final int ipv6Prefix;

    public IdentityRules(SpfCheck spf, ReverseNames reverseNames, IdentitySettings settings, int ipv4Prefix, int ipv6Prefix) {
        this.spf = spf;
        this.reverseNames = reverseNames;
        this.settings = settings;
        this.ipv4Prefix = ipv4Prefix;
        this.ipv6Prefix = ipv6Prefix;
    }

    /** The client's identity, however long DNS takes: bounded by {@link BoundedIdentityResolver}. */
    public ClientIdentity resolve(IdentityQuery query) {
        return spfIdentity(query)
            .or(() -> fcrdnsIdentity(query.client()))
            .orElseGet(() -> networkOf(query.client()));
    }

    /** The client network identity of an address: what every failure falls back to. */
    public ClientIdentity networkOf(InetAddress client) {
        return ClientIdentity.network(ClientNetwork.of(client, ipv4Prefix, ipv6Prefix));
    }

    private Optional<ClientIdentity> spfIdentity(IdentityQuery query) {
        if (!settings.spf()) {
            return Optional.empty();
        }
        return query.spfDomain().filter(domain -> proves(query)).map(ClientIdentity::spf);
    }

    private boolean proves(IdentityQuery query) {
        try {
            return spf.check(query) == SpfResult.PASS;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Optional<ClientIdentity> fcrdnsIdentity(InetAddress client) {
        if (!settings.fcrdns()) {
            return Optional.empty();
        }
        try {
            return verifiedName(client)
                .flatMap(reverseNames::organisationalDomain)
                .map(ClientIdentity::fcrdns);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The client's forward-confirmed reverse name, whatever the settings (postgrey's name entries need it); empty when
     * it has none or DNS failed. Time is bounded by {@link BoundedIdentityResolver}, not here.
     */
    public Optional<String> verifiedName(InetAddress client) {
        try {
            return reverseNames.confirmedName(client);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
