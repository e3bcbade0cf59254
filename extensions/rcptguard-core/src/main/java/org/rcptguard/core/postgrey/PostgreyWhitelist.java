package org.rcptguard.core.postgrey;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.rcptguard.core.Cidr;

/**
 * The whitelists of postgrey's {@code whitelist_clients} and {@code whitelist_recipients} files, matched as postgrey
 * matches them: a client by its verified (forward-confirmed) name, a name matching the name and its subdomains, a
 * {@code /regex/} the whole name, or by its address (an address, a CIDR, a partial IPv4 address); a recipient by
 * {@code user@domain} (and {@code user+ext@domain}), {@code user@} in any domain, a domain and its subdomains, or a
 * {@code /regex/}. Every comparison ignores case. Kept apart from {@link org.rcptguard.core.Whitelist} because
 * postgrey's entries mean more than RcptGuard's (names, regular expressions, local parts in any domain). Immutable.
 */
public final class PostgreyWhitelist {
    public static final PostgreyWhitelist EMPTY = new PostgreyWhitelist(List.of(), List.of(), List.of());

    /** What matched. */
    public enum Match {
        CLIENT, RECIPIENT
    }

    private final List<Pattern> clientNames;
    private final List<Cidr> clientNetworks;
    private final List<Pattern> recipients;

    PostgreyWhitelist(List<Pattern> clientNames, List<Cidr> clientNetworks, List<Pattern> recipients) {
        this.clientNames = List.copyOf(clientNames);
        this.clientNetworks = List.copyOf(clientNetworks);
        this.recipients = List.copyOf(recipients);
    }

    /** Both whitelists in one, as postgrey reads several files. */
    public PostgreyWhitelist plus(PostgreyWhitelist other) {
        return new PostgreyWhitelist(concat(clientNames, other.clientNames), concat(clientNetworks, other.clientNetworks),
            concat(recipients, other.recipients));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * Whether postgrey would let this RCPT pass without greylisting, and why.
     *
     * @param verifiedClientName the client's forward-confirmed reverse name; empty when it has none, and then no name
     *                           entry matches
     */
    public Optional<Match> match(InetAddress client, Optional<String> verifiedClientName, String recipient) {
        if (verifiedClientName.filter(name -> clientNames.stream().anyMatch(pattern -> pattern.matcher(name).find())).isPresent()
            || clientNetworks.stream().anyMatch(cidr -> cidr.contains(client))) {
            return Optional.of(Match.CLIENT);
        }
        if (recipients.stream().anyMatch(pattern -> pattern.matcher(recipient).find())) {
            return Optional.of(Match.RECIPIENT);
        }
        return Optional.empty();
    }

    /** True when a client can only match by its verified name, which costs a reverse and a forward DNS look-up. */
    public boolean hasClientNames() {
        return !clientNames.isEmpty();
    }

    /** How many entries the whitelist holds. */
    public int size() {
        return clientNames.size() + clientNetworks.size() + recipients.size();
    }

    @Override
    public String toString() {
        return "postgrey whitelist: " + clientNames.size() + " client names, " + clientNetworks.size() + " client networks, "
            + recipients.size() + " recipients";
    }
}
