package org.rcptguard.core.directory;

import org.rcptguard.core.RecipientClass;

/** One source of valid recipients (James, a static list, LDAP, ...). Any exception means UNDECIDED. */
@FunctionalInterface
public interface RecipientSource {
    /** VALID, INVALID, or UNDECIDED when this source cannot tell; {@code address} is lower case. */
    RecipientClass classify(String address) throws Exception;
}
