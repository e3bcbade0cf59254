package org.rcptguard.core.identity;

/** Port: the SPF check of a transaction's client against its sender (or its HELO name for the null sender). */
public interface SpfCheck {
    /** The SPF result; a failure to answer is {@link SpfResult#TEMPERROR}, never an exception. */
    SpfResult check(IdentityQuery query);
}
