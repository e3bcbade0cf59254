package org.rcptguard.james.webadmin;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.SenderNormaliser;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.store.RcptGuardStores;

/** The greylist's triplets, keyed as the RCPT hook keys them: looked up and forgotten. */
public class TripletService {
    private final RcptGuardStores stores;
    private final RcptGuardConfiguration configuration;
    private final ClientNetworkService clientNetworks;

    @Inject
    public TripletService(RcptGuardStores stores, RcptGuardConfiguration configuration, ClientNetworkService clientNetworks) {
        this.stores = stores;
        this.configuration = configuration;
        this.clientNetworks = clientNetworks;
    }

    /**
     * The triplet of {@code client} (an address or its network, or a proven identity such as {@code spf:example.com}),
     * {@code sender} (normalised; empty or {@code <>} is
     * the null sender) and {@code recipient}.
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public Triplet triplet(String client, String sender, String recipient) {
        ClientIdentity identity = ClientNetworkService.isProvenIdentity(client.trim()) ? ClientIdentity.parse(client.trim())
            : ClientIdentity.network(clientNetworks.clientNetwork("client", client));
        String bareSender = sender.trim();
        if (bareSender.startsWith("<") && bareSender.endsWith(">")) {
            bareSender = bareSender.substring(1, bareSender.length() - 1);
        }
        MaybeSender maybeSender = MaybeSender.nullSender();
        if (!bareSender.isEmpty()) {
            try {
                maybeSender = MaybeSender.of(AddressParameter.parse("sender", bareSender));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (the null sender is written <> or left empty)", e);
            }
        }
        MailAddress recipientAddress = AddressParameter.parse("recipient", recipient.trim());
        return new Triplet(identity, SenderNormaliser.key(SenderNormaliser.normalise(maybeSender)), Addresses.key(recipientAddress));
    }

    public Optional<TripletDTO> find(Triplet triplet) {
        return stores.tripletStore().find(triplet)
            .map(record -> new TripletDTO(triplet, record, configuration));
    }

    /** Forgets the triplet (its next attempt is a first contact again); false when the greylist does not know it. */
    public boolean forget(Triplet triplet) {
        if (stores.tripletStore().find(triplet).isEmpty()) {
            return false;
        }
        stores.tripletStore().forget(triplet);
        return true;
    }
}
