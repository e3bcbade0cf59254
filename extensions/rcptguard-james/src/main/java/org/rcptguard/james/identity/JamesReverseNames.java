package org.rcptguard.james.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.rcptguard.core.identity.ReverseNames;

import com.google.common.net.InternetDomainName;

/**
 * Forward-confirmed reverse DNS over James's {@link DNSService} (one PTR and one A look-up, both cached by James for
 * their TTL), and organisational domains from the public suffix list Guava carries.
 */
public final class JamesReverseNames implements ReverseNames {
    private final DNSService dns;

    @Inject
    public JamesReverseNames(DNSService dns) {
        this.dns = dns;
    }

    @Override
    public Optional<String> confirmedName(InetAddress client) {
        String name = dns.getHostName(client);
        // James answers the address itself when there is no PTR record.
        if (name == null || name.equals(client.getHostAddress())) {
            return Optional.empty();
        }
        String hostName = ReverseName.withoutTrailingDot(name).toLowerCase(Locale.ROOT);
        try {
            return dns.getAllByName(hostName).contains(client) ? Optional.of(hostName) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> organisationalDomain(String hostName) {
        try {
            InternetDomainName name = InternetDomainName.from(hostName);
            return name.isUnderPublicSuffix() ? Optional.of(name.topPrivateDomain().toString()) : Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
