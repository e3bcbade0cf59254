package org.rcptguard.core;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Static whitelists: client networks (CIDR), sender domains (a domain and its subdomains), and recipients that opt
 * out of greylisting (an address, or a whole domain written {@code example.com} or {@code @example.com}).
 */
public final class Whitelist {
    public static final Whitelist EMPTY = new Whitelist(List.of(), List.of(), List.of());

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private static final Pattern LOCAL_PART = Pattern.compile("[^\\s<>()\\[\\],;:\"@\\\\]{1,64}");

    private final List<Cidr> clients;
    private final List<String> senderDomains;
    private final List<String> recipients;

    public Whitelist(List<Cidr> clients, List<String> senderDomains, List<String> recipients) {
        this.clients = List.copyOf(clients);
        this.senderDomains = List.copyOf(senderDomains);
        this.recipients = List.copyOf(recipients);
    }

    /** The whitelist of these entries. */
    public static Whitelist of(Collection<WhitelistEntry> entries) {
        List<Cidr> clients = new ArrayList<>();
        List<String> senderDomains = new ArrayList<>();
        List<String> recipients = new ArrayList<>();
        for (WhitelistEntry entry : entries) {
            switch (entry.kind()) {
                case CLIENT: clients.add(Cidr.parse(entry.value())); break;
                case SENDER: senderDomains.add(entry.value()); break;
                default: recipients.add(entry.value()); break;
            }
        }
        return new Whitelist(clients, senderDomains, recipients);
    }

    /** Every entry, clients first, then senders, then recipients, each in the order given. */
    public List<WhitelistEntry> entries() {
        List<WhitelistEntry> entries = new ArrayList<>();
        clients.forEach(cidr -> entries.add(WhitelistEntry.client(cidr.asString())));
        senderDomains.forEach(domain -> entries.add(WhitelistEntry.sender(domain)));
        recipients.forEach(recipient -> entries.add(WhitelistEntry.recipient(recipient)));
        return entries;
    }

    public boolean contains(WhitelistEntry entry) {
        return entries().contains(entry);
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
        String domain = domain(lower.substring(at + 1));
        if (local.isEmpty()) {
            return domain; // @example.com: the whole domain, written as example.com
        }
        if (!LOCAL_PART.matcher(local).matches()) {
            throw new IllegalArgumentException("not an address or domain: '" + text + "'");
        }
        return local + "@" + domain;
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
