package org.rcptguard.core;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

/**
 * Static whitelists: client networks (CIDR), sender domains (a domain and its subdomains), and recipients that opt
 * out of greylisting (an address, or a whole domain written {@code example.com} or {@code @example.com}).
 */
public final class Whitelist {
    public static final Whitelist EMPTY = new Whitelist(List.of(), List.of(), List.of());

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
        return Addresses.domain(text).asString();
    }

    /** An address ({@code user@example.com}) or a domain ({@code example.com}, {@code @example.com}), lower case. */
    static String recipient(String text) {
        if (text.indexOf('@') < 0) {
            return domain(text);
        }
        if (text.startsWith("@")) {
            return domain(text.substring(1)); // @example.com: the whole domain, written as example.com
        }
        try {
            return Addresses.key(new MailAddress(text));
        } catch (AddressException e) {
            throw new IllegalArgumentException("not an address or domain: '" + text + "'", e);
        }
    }

    /** Plain loops, and nothing derived from the sender or recipient for an empty list: this runs twice per RCPT. */
    public Optional<Decision.Reason> match(InetAddress client, MaybeSender normalisedSender, MailAddress recipient) {
        for (Cidr cidr : clients) {
            if (cidr.contains(client)) {
                return Optional.of(Decision.Reason.WHITELISTED_CLIENT);
            }
        }
        if (!senderDomains.isEmpty() && !normalisedSender.isNullSender()) {
            String senderDomain = normalisedSender.get().getDomain().asString();
            for (String domain : senderDomains) {
                if (senderDomain.equals(domain) || senderDomain.endsWith(domain) && senderDomain.length() > domain.length()
                    && senderDomain.charAt(senderDomain.length() - domain.length() - 1) == '.') {
                    return Optional.of(Decision.Reason.WHITELISTED_SENDER);
                }
            }
        }
        if (!recipients.isEmpty()) {
            String address = Addresses.key(recipient);
            String recipientDomain = recipient.getDomain().asString();
            for (String entry : recipients) {
                if (entry.equals(address) || entry.equals(recipientDomain)) {
                    return Optional.of(Decision.Reason.RECIPIENT_OPT_OUT);
                }
            }
        }
        return Optional.empty();
    }
}
