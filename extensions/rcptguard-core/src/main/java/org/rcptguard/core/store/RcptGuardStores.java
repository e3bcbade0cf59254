package org.rcptguard.core.store;

/** The stores of one deployment, all of one kind (memory, or Cassandra for a cluster). */
public interface RcptGuardStores {
    TripletStore tripletStore();

    ClientNetworkStore clientNetworkStore();

    UnknownRecipientStore unknownRecipientStore();
}
