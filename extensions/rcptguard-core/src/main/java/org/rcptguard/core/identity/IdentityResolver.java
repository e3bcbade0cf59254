package org.rcptguard.core.identity;

/** Resolves the identity a transaction's client is greylisted and trusted by. */
public interface IdentityResolver {
    /**
     * Starts resolving the client's identity and returns at once, without waiting on DNS; the client network whenever
     * nothing better is proven in time. Never throws.
     */
    Pending<ClientIdentity> start(IdentityQuery query);

    /** Starts and awaits: the client's identity, within the resolver's bound. */
    default ClientIdentity resolve(IdentityQuery query) {
        return start(query).await();
    }
}
