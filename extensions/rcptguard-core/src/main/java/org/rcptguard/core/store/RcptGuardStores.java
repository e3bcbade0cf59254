package org.rcptguard.core.store;

/** The stores of one deployment, all of one kind (memory, or Cassandra for a cluster). */
public interface RcptGuardStores {
    TripletStore tripletStore();

    ClientNetworkStore clientNetworkStore();

    UnknownRecipientStore unknownRecipientStore();

    WhitelistStore whitelistStore();

    /** Unknown-recipient probes per governed domain, for distributed-harvest detection. */
    DomainProbeStore domainProbeStore();

    /**
     * One read as the RCPT path reads (same tables, same consistency), for health checks: returns when the store
     * answers, throws when it cannot be reached within its timeout.
     */
    void probe();
}
