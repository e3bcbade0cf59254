package org.rcptguard.bench.jmh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Properties;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.TransactionState;
import org.rcptguard.core.memory.MemoryStores;

/**
 * One policy as a single node runs it on the memory store: the default settings (greylisting delay 5 minutes,
 * auto-whitelist after 5 passed triplets, scan threshold 10, reject at RCPT) plus a whitelisted client network,
 * {@value #DOMAIN}'s recipients in a static list, and the real time (see {@link ShiftedClock}). Every decision is the
 * first RCPT of a new transaction.
 */
final class DecisionFixture {
    static final String DOMAIN = "example.com";
    static final String VALID_RECIPIENT = "alice@example.com";
    static final String OTHER_VALID_RECIPIENT = "bob@example.com";
    static final String UNKNOWN_RECIPIENT = "nobody@example.com";
    static final String SENDER = "someone@sender.example";
    /** whitelist.clients of every fixture: the other cases pay for matching it, as they would in production. */
    static final String WHITELISTED_NETWORK = "198.51.100.0/24";
    /** The default of store.memory.max.entries (per table). */
    static final int DEFAULT_MAX_ENTRIES = 200_000;
    /** Addresses in the recipient list besides the named ones. */
    static final int LIST_FILLER = 10_000;

    final ShiftedClock clock = new ShiftedClock();
    final RcptGuardConfiguration configuration;
    final RcptPolicy policy;

    DecisionFixture() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /** @param maxEntries store.memory.max.entries: the cap of each table of the memory store */
    DecisionFixture(int maxEntries) {
        Properties properties = new Properties();
        properties.setProperty(RcptGuardConfiguration.MEMORY_MAX_ENTRIES, Integer.toString(maxEntries));
        properties.setProperty(RcptGuardConfiguration.WHITELIST_CLIENTS, WHITELISTED_NETWORK);
        configuration = RcptGuardConfiguration.fromProperties(properties);
        ListDirectory directory = ListDirectory.of(DOMAIN,
            List.of(VALID_RECIPIENT, OTHER_VALID_RECIPIENT, "abuse@example.com", "postmaster@example.com"), LIST_FILLER);
        policy = RcptPolicy.create(directory, new MemoryStores(clock, configuration), configuration, clock);
    }

    /** The decision on {@code request} as the first RCPT of a transaction. */
    Decision decide(RcptRequest request) {
        return policy.decide(request, TransactionState.EMPTY);
    }

    /** Greylists {@code request}'s triplet, lets the delay elapse and retries: its triplet has passed. */
    Decision pass(RcptRequest request) {
        expect(decide(request), Outcome.DEFER, Reason.GREYLISTED);
        clock.advance(configuration.delay().plusSeconds(1));
        return decide(request);
    }

    static RcptRequest request(InetAddress client, String sender, String recipient) {
        try {
            return new RcptRequest(client, false, false, MaybeSender.getMailSender(sender), new MailAddress(recipient));
        } catch (AddressException e) {
            throw new IllegalArgumentException(recipient, e);
        }
    }

    static RcptRequest request(String client, String sender, String recipient) {
        return request(address(client), sender, recipient);
    }

    /** An address literal (never resolved). */
    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /**
     * {@code decision}, if it is the outcome for the reason a benchmark claims to measure; otherwise the setup fails
     * (an exception, not an {@code assert}: JMH's forks run without {@code -ea}).
     */
    static Decision expect(Decision decision, Outcome outcome, Reason reason) {
        if (decision.outcome() != outcome || decision.reason() != reason) {
            throw new IllegalStateException("expected " + outcome + " (" + reason + "), the policy decided " + decision);
        }
        return decision;
    }
}
