package org.rcptguard.core;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Static whitelists: client networks (CIDR), sender domains (a domain and its subdomains), and recipients that opt
 * out of greylisting (an address, or a whole domain written {@code example.com} or {@code @example.com}).
 */
public final class Whitelist {
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final List<Cidr> clients;
    private final List<String> senderDomains;
    private final List<String> recipients;

    public Whitelist(List<Cidr> clients, List<String> senderDomains, List<String> recipients) {
        this.clients = List.copyOf(clients);
        this.senderDomains = List.copyOf(senderDomains);
        this.recipients = List.copyOf(recipients);
    }

    static String domain(String text) {
        String domain = text.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("not a domain name: '" + text + "'");
        }
        return domain;
    }

    /** An address ({@code user@example.com}) or a domain ({@code example.com}, {@code @example.com}), lower case. */
    static String recipient(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at < 0) {
            return domain(lower);
        }
        if (at == lower.length() - 1) {
            throw new IllegalArgumentException("not an address or domain: '" + text + "'");
        }
        String local = lower.substring(0, at);
        return local + "@" + domain(lower.substring(at + 1));
    }

    public Optional<Decision.Reason> match(InetAddress client, String normalisedSender, String recipient) {
        if (clients.stream().anyMatch(cidr -> cidr.contains(client))) {
            return Optional.of(Decision.Reason.WHITELISTED_CLIENT);
        }
        String senderDomain = domainOf(normalisedSender);
        if (!senderDomain.isEmpty() && senderDomains.stream()
            .anyMatch(domain -> senderDomain.equals(domain) || senderDomain.endsWith("." + domain))) {
            return Optional.of(Decision.Reason.WHITELISTED_SENDER);
        }
        String recipientDomain = domainOf(recipient);
        if (recipients.stream().anyMatch(entry -> entry.equals(recipient) || entry.equals(recipientDomain)
            || entry.equals("@" + recipientDomain))) {
            return Optional.of(Decision.Reason.RECIPIENT_OPT_OUT);
        }
        return Optional.empty();
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }
}
