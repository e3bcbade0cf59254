package org.rcptguard.core.identity;

import java.net.InetAddress;
import java.util.Optional;

/** Port: the DNS knowledge forward-confirmed reverse DNS needs. */
public interface ReverseNames {
    /**
     * The client's reverse (PTR) name if that name resolves back to the client's address; empty when there is no
     * PTR record, the name does not confirm, or DNS failed.
     */
    Optional<String> confirmedName(InetAddress client);

    /**
     * The organisational domain of a host name: the registrable domain below its public suffix (for
     * {@code mta7.out.example.co.uk}, {@code example.co.uk}); empty when the name has none.
     */
    Optional<String> organisationalDomain(String hostName);
}
