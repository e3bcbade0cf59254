package org.rcptguard.james.identity;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.james.jspf.core.DNSRequest;
import org.apache.james.jspf.core.exceptions.TimeoutException;

/**
 * jSPF's DNS port over James's {@link DNSService}, so that SPF asks the DNS servers James is configured with
 * ({@code dnsservice.xml}) and shares James's dnsjava cache, which keeps each answer for its TTL. (James's own SPF
 * handler and mailet give jSPF a resolver of its own, on the system's DNS servers.)
 *
 * <p>What James's port cannot say, and what follows: its TXT and A look-ups swallow temporary failures, so jSPF sees
 * {@code none} where DNS said "try again"; it has no AAAA look-up, so an IPv6 client matches {@code ip6} mechanisms
 * only; its MX look-up falls back to the domain's own address when there is no MX record. Each of these only ever
 * changes which identity a client gets, never whether mail is refused.
 */
final class JamesSpfDns implements org.apache.james.jspf.core.DNSService {
    private static final int DEFAULT_RECORD_LIMIT = 10;

    private final DNSService dns;
    private volatile int recordLimit = DEFAULT_RECORD_LIMIT;

    JamesSpfDns(DNSService dns) {
        this.dns = dns;
    }

    @Override
    public List<String> getRecords(DNSRequest request) throws TimeoutException {
        String name = request.getHostname();
        switch (request.getRecordType()) {
            case DNSRequest.TXT:
                return dns.findTXTRecords(name).stream().map(TxtRdata::text).collect(Collectors.toList());
            case DNSRequest.A:
                return addresses(name, Inet4Address.class);
            case DNSRequest.AAAA:
                return addresses(name, Inet6Address.class);
            case DNSRequest.MX:
                return mailExchangers(name);
            case DNSRequest.PTR:
                return ReverseName.address(name).map(this::pointer).orElse(List.of());
            default:
                // The SPF RR type (99) is obsolete (RFC 7208, section 3.1): TXT is what publishers use.
                return List.of();
        }
    }

    @Override
    public CompletionStage<List<String>> getRecordsAsync(DNSRequest request) {
        CompletableFuture<List<String>> records = new CompletableFuture<>();
        try {
            records.complete(getRecords(request));
        } catch (TimeoutException | RuntimeException e) {
            records.completeExceptionally(e);
        }
        return records;
    }

    private List<String> addresses(String name, Class<? extends InetAddress> family) {
        try {
            return dns.getAllByName(name).stream().filter(family::isInstance).map(InetAddress::getHostAddress)
                .collect(Collectors.toList());
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private List<String> mailExchangers(String name) throws TimeoutException {
        try {
            Collection<String> hosts = dns.findMXRecords(name);
            return hosts.stream().map(ReverseName::withoutTrailingDot).collect(Collectors.toList());
        } catch (TemporaryResolutionException e) {
            throw new TimeoutException(e.getMessage());
        }
    }

    private List<String> pointer(InetAddress address) {
        String name = dns.getHostName(address);
        // James answers the address itself when there is no PTR record.
        if (name == null || name.equals(address.getHostAddress())) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        names.add(ReverseName.withoutTrailingDot(name));
        return names;
    }

    @Override
    public List<String> getLocalDomainNames() {
        return List.of();
    }

    /** Ignored: James's resolver has its own timeout, and the whole evaluation is bounded by the identity resolver. */
    @Override
    public void setTimeOut(int timeOut) {
    }

    @Override
    public int getRecordLimit() {
        return recordLimit;
    }

    @Override
    public void setRecordLimit(int recordLimit) {
        this.recordLimit = recordLimit;
    }
}
