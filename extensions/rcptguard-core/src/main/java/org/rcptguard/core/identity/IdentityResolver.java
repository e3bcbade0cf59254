package org.rcptguard.core.identity;

/** Resolves the identity a transaction's client is greylisted and trusted by. */
public interface IdentityResolver {
    /** The client's identity; the client network whenever nothing better is proven. Never throws. */
    ClientIdentity resolve(IdentityQuery query);
}
