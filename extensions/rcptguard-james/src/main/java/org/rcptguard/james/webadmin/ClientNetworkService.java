package org.rcptguard.james.webadmin;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import javax.inject.Inject;

import org.rcptguard.core.Cidr;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.store.RcptGuardStores;

/** What RcptGuard knows of a client network (reputation, scan evidence, penalty), and the lifting of a penalty. */
public class ClientNetworkService {
    private final RcptGuardStores stores;
    private final RcptGuardConfiguration configuration;
    private final Clock clock;

    @Inject
    public ClientNetworkService(RcptGuardStores stores, RcptGuardConfiguration configuration, Clock clock) {
        this.stores = stores;
        this.configuration = configuration;
        this.clock = clock;
    }

    /**
     * An address, reduced to its network by the configured prefix, a network of exactly that prefix, or a proven
     * identity ({@code spf:example.com}, {@code ptr:example.com}), whose reputation and scan evidence are kept beside
     * its networks'.
     *
     * @throws IllegalArgumentException naming {@code field} and what is wrong
     */
    public ClientNetwork clientNetwork(String field, String text) {
        if (text != null && isProvenIdentity(text.trim())) {
            try {
                return ClientNetwork.provenBy(ClientIdentity.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format("Invalid '%s': %s", field, e.getMessage()), e);
            }
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(String.format("Missing '%s': an IP address or a client network such as 192.0.2.0/%d",
                field, configuration.ipv4Prefix()));
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format("Invalid '%s': %s", field, e.getMessage()), e);
        }
        if (!text.contains("/")) {
            return configuration.clientNetworkOf(cidr.address());
        }
        int expected = cidr.isIpv4() ? configuration.ipv4Prefix() : configuration.ipv6Prefix();
        if (cidr.prefixLength() != expected) {
            throw new IllegalArgumentException(String.format("Invalid '%s': %s is not a client network: RcptGuard counts %s"
                    + " clients by /%d networks (%s); give an address or a /%d network", field, text,
                cidr.isIpv4() ? "IPv4" : "IPv6", expected,
                cidr.isIpv4() ? RcptGuardConfiguration.NETWORK_IPV4_PREFIX : RcptGuardConfiguration.NETWORK_IPV6_PREFIX, expected));
        }
        return ClientNetwork.parse(cidr.asString());
    }

    static boolean isProvenIdentity(String text) {
        return text.startsWith(ClientIdentity.Kind.SPF.prefix() + ":") || text.startsWith(ClientIdentity.Kind.FCRDNS.prefix() + ":");
    }

    public ClientNetworkDTO lookUp(ClientNetwork network) {
        ClientNetworkState state = stores.clientNetworkStore().load(network);
        int unknownRecipients = stores.unknownRecipientStore().count(network);
        Instant now = clock.instant();
        Optional<Penalty> penalty = state.penaltyActiveAt(now);
        return new ClientNetworkDTO(network, state, configuration, unknownRecipients,
            penalty.map(active -> new PenaltyDTO(active, now)));
    }

    /** Lifts the network's running penalty and forgets its scan evidence; false when no penalty runs. */
    public boolean liftPenalty(ClientNetwork network) {
        if (stores.clientNetworkStore().load(network).penaltyActiveAt(clock.instant()).isEmpty()) {
            return false;
        }
        stores.clientNetworkStore().liftPenalty(network);
        // Otherwise the network's next unknown recipient would impose the penalty again at once.
        stores.unknownRecipientStore().forget(network);
        return true;
    }
}
