package org.rcptguard.core.directory;

import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;

/** One source of valid recipients (James, a static list, LDAP, ...). Any exception means UNDECIDED. */
@FunctionalInterface
public interface RecipientSource {
    /** VALID, INVALID, or UNDECIDED when this source cannot tell; {@code address} is lower case. */
    RecipientClass classify(String address) throws Exception;

    /** The same answer with its reason (and whether it was cached); the source name is set by {@link SourceChain}. */
    default DirectoryAnswer explain(String address) throws Exception {
        return DirectoryAnswer.plain(classify(address), null);
    }
}
