package org.rcptguard.bench.smtp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who sends what, over loopback: every client network is a /24 of 127.0.0.0/8 (Linux answers on all of it), so a
 * greylisting server sees as many networks as the load needs.
 *
 * <ul>
 * <li>auto-whitelisted clients {@code 127.10.<i>.1}: two senders each, every valid recipient warmed (far more passed
 * triplets than any auto-whitelist threshold);</li>
 * <li>passed clients {@code 127.11.<i>.1}: one sender and {@value #PASSED_TRIPLETS} warmed recipients each, below the
 * usual auto-whitelist threshold of 5, so they stay "passed triplet" clients;</li>
 * <li>first-contact clients {@code 127.20.<i>.1}: a sender never seen before in every transaction;</li>
 * <li>scanners {@code 127.40.<i>.1}: ten recipients a transaction, nine in ten unknown.</li>
 * </ul>
 * Valid recipients are {@code user<n>@<domain>}; unknown ones {@code probe<n>@<domain>}, never reused.
 * {@link #spfRecords()} is what the sender domains publish, for a target that checks SPF.
 */
public final class TrafficModel {
    static final int PASSED_TRIPLETS = 3;
    private static final int AWL_SENDERS = 2;
    private static final int FRESH_NETWORKS = 64;
    private static final int SCAN_RECIPIENTS = 10;
    private static final int FIRST_CONTACT_DOMAINS = 97;

    private final String domain;
    private final int validRecipients;
    private final int awlClients;
    private final int passedClients;
    private final AtomicLong unique = new AtomicLong();

    public TrafficModel(String domain, int validRecipients, int awlClients, int passedClients) {
        if (validRecipients < PASSED_TRIPLETS || awlClients < 1 || passedClients < 1 || awlClients > 250 || passedClients > 250) {
            throw new IllegalArgumentException("need at least " + PASSED_TRIPLETS
                + " valid recipients and 1 to 250 clients of each kind");
        }
        this.domain = domain;
        this.validRecipients = validRecipients;
        this.awlClients = awlClients;
        this.passedClients = passedClients;
    }

    /** The defaults of the benchmark: 50 valid recipients, 16 auto-whitelisted and 16 passed client networks. */
    public static TrafficModel standard(String domain) {
        return new TrafficModel(domain, 50, 16, 16);
    }

    public String domain() {
        return domain;
    }

    public List<String> validRecipients() {
        List<String> recipients = new ArrayList<>(validRecipients);
        for (int i = 0; i < validRecipients; i++) {
            recipients.add(validRecipient(i));
        }
        return recipients;
    }

    /** The transactions whose triplets the steady state needs passed, at most {@code perTransaction} recipients each. */
    public List<Transaction> warmUpTransactions(int perTransaction) {
        List<Transaction> transactions = new ArrayList<>();
        for (int client = 0; client < awlClients; client++) {
            for (int sender = 0; sender < AWL_SENDERS; sender++) {
                List<String> all = validRecipients();
                for (int from = 0; from < all.size(); from += perTransaction) {
                    transactions.add(new Transaction(awlClient(client), awlSender(client, sender),
                        all.subList(from, Math.min(all.size(), from + perTransaction))));
                }
            }
        }
        for (int client = 0; client < passedClients; client++) {
            transactions.add(new Transaction(passedClient(client), passedSender(client), passedRecipients(client)));
        }
        return transactions;
    }

    /** The transactions of one session of the scenario (all from one client). */
    public List<Transaction> session(Scenario scenario, int transactions, Random random) {
        Scenario kind = scenario;
        if (scenario == Scenario.MIXED) {
            int dice = random.nextInt(10);
            kind = dice < 8 ? Scenario.STEADY : dice == 8 ? Scenario.FIRST_CONTACT : Scenario.SCAN;
        }
        switch (kind) {
            case STEADY:
                return random.nextBoolean() ? awlSession(transactions, random) : passedSession(transactions, random);
            case FIRST_CONTACT:
                return firstContactSession(transactions, random);
            case SCAN:
                return scanSession(transactions, random);
            default:
                throw new IllegalArgumentException(scenario.label());
        }
    }

    private List<Transaction> awlSession(int transactions, Random random) {
        int client = random.nextInt(awlClients);
        List<Transaction> session = new ArrayList<>(transactions);
        for (int t = 0; t < transactions; t++) {
            List<String> recipients = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int r = 0; r < count; r++) {
                recipients.add(validRecipient(random.nextInt(validRecipients)));
            }
            session.add(new Transaction(awlClient(client), awlSender(client, random.nextInt(AWL_SENDERS)), recipients));
        }
        return session;
    }

    private List<Transaction> passedSession(int transactions, Random random) {
        int client = random.nextInt(passedClients);
        List<String> warmed = passedRecipients(client);
        List<Transaction> session = new ArrayList<>(transactions);
        for (int t = 0; t < transactions; t++) {
            int from = random.nextInt(PASSED_TRIPLETS);
            session.add(new Transaction(passedClient(client), passedSender(client),
                warmed.subList(from, from + 1 + random.nextInt(PASSED_TRIPLETS - from))));
        }
        return session;
    }

    private List<Transaction> firstContactSession(int transactions, Random random) {
        String client = "127.20." + random.nextInt(FRESH_NETWORKS) + ".1";
        List<Transaction> session = new ArrayList<>(transactions);
        for (int t = 0; t < transactions; t++) {
            long n = unique.incrementAndGet();
            List<String> recipients = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int r = 0; r < count; r++) {
                recipients.add(validRecipient(random.nextInt(validRecipients)));
            }
            session.add(new Transaction(client, "new" + n + "@" + firstContactDomain((int) (n % FIRST_CONTACT_DOMAINS)), recipients));
        }
        return session;
    }

    private List<Transaction> scanSession(int transactions, Random random) {
        int scanner = random.nextInt(FRESH_NETWORKS);
        List<Transaction> session = new ArrayList<>(transactions);
        for (int t = 0; t < transactions; t++) {
            List<String> recipients = new ArrayList<>(SCAN_RECIPIENTS);
            for (int r = 0; r < SCAN_RECIPIENTS; r++) {
                recipients.add(random.nextInt(10) == 0 ? validRecipient(random.nextInt(validRecipients))
                    : "probe" + unique.incrementAndGet() + "@" + domain);
            }
            session.add(new Transaction("127.40." + scanner + ".1", "scan@" + scannerDomain(scanner), recipients));
        }
        return session;
    }

    /**
     * The SPF records of the sender domains (domain → TXT): the auto-whitelisted, passed and scanner domains each
     * authorise their kind's clients, so they pass; of the first-contact domains the even-numbered half authorise the
     * first-contact clients and the other half publish nothing, so that both a pass and {@code none} are evaluated.
     */
    public Map<String, String> spfRecords() {
        Map<String, String> records = new LinkedHashMap<>();
        for (int client = 0; client < awlClients; client++) {
            records.put(domainOf(awlSender(client, 0)), "v=spf1 ip4:127.10.0.0/16 -all");
        }
        for (int client = 0; client < passedClients; client++) {
            records.put(domainOf(passedSender(client)), "v=spf1 ip4:127.11.0.0/16 -all");
        }
        for (int domain = 0; domain < FIRST_CONTACT_DOMAINS; domain += 2) {
            records.put(firstContactDomain(domain), "v=spf1 ip4:127.20.0.0/16 -all");
        }
        for (int scanner = 0; scanner < FRESH_NETWORKS; scanner++) {
            records.put(scannerDomain(scanner), "v=spf1 ip4:127.40.0.0/16 -all");
        }
        return records;
    }

    private static String firstContactDomain(int index) {
        return "sender" + index + ".example";
    }

    private static String scannerDomain(int scanner) {
        return "scanner" + scanner + ".example";
    }

    private static String domainOf(String address) {
        return address.substring(address.indexOf('@') + 1);
    }

    private String validRecipient(int index) {
        return "user" + index + "@" + domain;
    }

    private List<String> passedRecipients(int client) {
        List<String> recipients = new ArrayList<>(PASSED_TRIPLETS);
        for (int r = 0; r < PASSED_TRIPLETS; r++) {
            recipients.add(validRecipient((client * PASSED_TRIPLETS + r) % validRecipients));
        }
        return recipients;
    }

    private static String awlClient(int client) {
        return "127.10." + client + ".1";
    }

    private static String awlSender(int client, int sender) {
        return "s" + sender + "@awl" + client + ".example";
    }

    private static String passedClient(int client) {
        return "127.11." + client + ".1";
    }

    private static String passedSender(int client) {
        return "s0@passed" + client + ".example";
    }
}
