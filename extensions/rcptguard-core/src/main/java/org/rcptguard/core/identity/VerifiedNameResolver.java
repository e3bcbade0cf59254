package org.rcptguard.core.identity;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Looks up a client's verified name, its forward-confirmed reverse name: what postgrey's client name and
 * {@code /regex/} entries match (Postfix hands postgrey {@code client_name}, which is {@code unknown} unless the PTR name
 * resolves back to the client).
 */
public interface VerifiedNameResolver {
    /**
     * Starts the look-up and returns at once, without waiting on DNS. The answer is empty when the client has no
     * forward-confirmed name, or DNS failed or did not answer in time. Never throws.
     */
    Pending<Optional<String>> startVerifiedName(InetAddress client);
}
