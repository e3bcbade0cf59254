package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rcptguard.it.StoreSmtp.decisions;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.it.RcptGuardSmtpTest.Users;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.PostfixSender;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;

/**
 * Client identities in a real James: its {@code dnsservice.xml} points at a real DNS server (dnsmasq) that serves the
 * senders' SPF records, so the SPF evaluation runs over James's own DNS service as in production. A sender whose SPF
 * record authorises its pool passes at its first retry from any network of the pool, and so does one whose hosts have
 * forward-confirmed reverse names in one organisation; everything short of either keys the triplet by the client
 * network, as before identities existed. A real sending Postfix whose retry leaves from another network shows the same
 * with an MTA's own queue and retry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentitySmtpTest {
    private static final String DEFERRAL = RcptGuardSmtpTest.DEFERRAL;
    /** The evaluation's bound (identity.dns.timeout, 2 s) and the time a deferral takes on a loaded machine. */
    private static final Duration BOUNDED = Duration.ofMillis(3500);

    private TestZone zone;
    private JamesServerProcess james;

    @BeforeAll
    void start() throws Exception {
        // The silent server never answers: dnsmasq forwards silent.example to it and waits.
        zone = TestZone.start("rcptguard-identity", silent -> List.of(
            "--txt-record=pool.example,v=spf1 ip4:127.0.144.0/20 -all",
            "--txt-record=scanner.example,v=spf1 ip4:127.0.160.0/20 -all",
            "--txt-record=spreader.example,v=spf1 ip4:127.0.208.0/20 -all",
            "--txt-record=fail.example,v=spf1 -all",
            "--txt-record=softfail.example,v=spf1 ~all",
            "--txt-record=neutral.example,v=spf1 ?all",
            "--txt-record=malformed.example,v=spf1 ip4:127.0.176.0/20 frobnicate -all",
            "--host-record=nospf.example,127.0.99.1",
            // Forward-confirmed reverse names (a host record gives the A and the PTR record) and one that does not
            // confirm: its PTR name resolves to another address.
            "--host-record=mta1.out.bigsender.co.uk,127.0.200.2",
            "--host-record=mta2.out.bigsender.co.uk,127.0.201.2",
            "--ptr-record=2.202.0.127.in-addr.arpa,liar.bigsender.co.uk",
            "--ptr-record=2.203.0.127.in-addr.arpa,liar.bigsender.co.uk",
            "--host-record=liar.bigsender.co.uk,127.0.99.9",
            "--server=/silent.example/" + silent));
        james = JamesServerProcess.builder().confDir(zone.conf()).rcptguardProperties(Map.of(
            "identity.spf", "true",
            "identity.fcrdns", "true",
            "greylist.delay", "2s",
            "greylist.retry.window", "60s",
            "scan.threshold", "3",
            "autowhitelist.passes", "1000")).start();
        Users.create(james.webAdmin());
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
        if (zone != null) {
            zone.close();
        }
    }

    private static void waitForTheDelay() throws InterruptedException {
        Thread.sleep(2300);
    }

    @Test
    void aSenderWhoseSpfAuthorisesItsPoolIsDeliveredAtItsFirstRetryFromAnotherNetwork() throws Exception {
        long before = james.webAdmin().inboxCount("alice@example.com");
        assertThat(Smtp.transaction(james, "127.0.144.2", "<codes@pool.example>", "alice@example.com").get(0).asString())
            .isEqualTo(DEFERRAL);
        waitForTheDelay();

        try (SmtpClient client = Smtp.open(james, "127.0.145.2", "<codes@pool.example>")) {
            assertThat(client.rcptTo("alice@example.com").code()).isEqualTo(250);
            assertThat(client.data(Smtp.message("from another network of the pool")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(james, "alice@example.com", before + 1);
        assertThat(james.log()).contains("client=127.0.145.2 network=127.0.145.0/24 session=")
            .contains("identity=spf:pool.example sender=<codes@pool.example>");
    }

    @Test
    void aSenderWithoutSpfPassesOnlyWhenItRetriesFromANetworkItUsedBefore() throws Exception {
        String sender = "<codes@nospf.example>";
        assertThat(Smtp.transaction(james, "127.0.170.2", sender, "bob@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();

        assertThat(Smtp.transaction(james, "127.0.171.2", sender, "bob@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        assertThat(Smtp.transaction(james, "127.0.170.9", sender, "bob@example.com").get(0).code()).isEqualTo(250);
    }

    /**
     * Without SPF, a client whose reverse name resolves back to its address is known by that name's organisational
     * domain, so a retry from another confirmed host of the same organisation matches; a reverse name that does not
     * resolve back is ignored (anyone can write any PTR record for their own addresses).
     */
    @Test
    void aForwardConfirmedReverseNameGroupsTheOrganisationAndOneThatDoesNotConfirmIsIgnored() throws Exception {
        String sender = "<news@nospf.example>";
        assertThat(Smtp.transaction(james, "127.0.200.2", sender, "bob@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        assertThat(Smtp.transaction(james, "127.0.202.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();

        assertThat(Smtp.transaction(james, "127.0.201.2", sender, "bob@example.com").get(0).code()).isEqualTo(250);
        assertThat(james.log()).contains("client=127.0.201.2 network=127.0.201.0/24 session=")
            .contains("identity=ptr:bigsender.co.uk sender=<news@nospf.example>");
        assertThat(Smtp.transaction(james, "127.0.203.2", sender, "alice@example.com").get(0).asString())
            .as("a reverse name that does not confirm").isEqualTo(DEFERRAL);
    }

    /**
     * A real sending MTA (Debian's Postfix, relaying to James) whose retry leaves from another /24 of the pool its
     * sender's SPF record authorises ({@code smtp_bind_address} changed between the attempts, as a provider's pool of
     * outbound hosts does): deferred once, delivered at its second attempt, its queue empty.
     */
    @Test
    void aPostfixRetryingFromAnotherNetworkOfItsSpfPoolDeliversAtItsSecondAttempt() throws Exception {
        assumeTrue(PostfixSender.installed(), "needs root and /usr/sbin/postfix");
        long before = james.webAdmin().inboxCount("bob@example.com");
        try (PostfixSender postfix = PostfixSender.start("127.0.0.1", james.smtpPort(), "127.0.144.10")) {
            postfix.submit("news@pool.example", "bob@example.com", mtaMessage("bob@example.com"));
            awaitAttempts(postfix, "bob@example.com", "deferred", 1);
            assertThat(postfix.log()).contains("said: " + DEFERRAL.strip() + " (in reply to RCPT TO command)");
            assertThat(decisions(james, "127.0.144.10", "bob@example.com")).singleElement().asString()
                .contains("identity=spf:pool.example sender=<news@pool.example>").contains("outcome=DEFER reason=GREYLISTED");
            waitForTheDelay();

            postfix.sendFrom("127.0.145.10");
            postfix.flush();
            Mailboxes.awaitCount(james, "bob@example.com", before + 1);
            awaitAttempts(postfix, "bob@example.com", "sent", 1);
            awaitEmptyQueue(postfix);
            assertThat(decisions(james, "127.0.145.10", "bob@example.com")).singleElement().asString()
                .contains("identity=spf:pool.example sender=<news@pool.example>").contains("outcome=PASS reason=PASSED");
            assertThat(attempts(postfix, "bob@example.com", "deferred")).as("deferred attempts").isEqualTo(1);
            assertThat(attempts(postfix, "bob@example.com", "sent")).as("delivered attempts").isEqualTo(1);
        }
    }

    /**
     * The control: the same Postfix for a sender domain without SPF is deferred again from the other /24 (a new
     * triplet, keyed by the network) and delivered once it retries from the network it used first (README, "Big
     * senders", Limits).
     */
    @Test
    void aPostfixWithoutSpfIsDeferredAgainFromAnotherNetworkAndDeliveredFromTheOneItUsedFirst() throws Exception {
        assumeTrue(PostfixSender.installed(), "needs root and /usr/sbin/postfix");
        long before = james.webAdmin().inboxCount("alice@example.com");
        try (PostfixSender postfix = PostfixSender.start("127.0.0.1", james.smtpPort(), "127.0.144.10")) {
            postfix.submit("news@nospf.example", "alice@example.com", mtaMessage("alice@example.com"));
            awaitAttempts(postfix, "alice@example.com", "deferred", 1);
            assertThat(decisions(james, "127.0.144.10", "alice@example.com")).singleElement().asString()
                .contains("sender=<news@nospf.example>").contains("outcome=DEFER reason=GREYLISTED").doesNotContain("identity=");
            waitForTheDelay();

            postfix.sendFrom("127.0.145.10");
            postfix.flush();
            awaitAttempts(postfix, "alice@example.com", "deferred", 2);
            assertThat(decisions(james, "127.0.145.10", "alice@example.com")).singleElement().asString()
                .contains("sender=<news@nospf.example>").contains("outcome=DEFER reason=GREYLISTED").doesNotContain("identity=");
            assertThat(postfix.queueEmpty()).as("queued after the second attempt").isFalse();
            assertThat(james.webAdmin().inboxCount("alice@example.com")).isEqualTo(before);

            postfix.sendFrom("127.0.144.10");
            postfix.flush();
            Mailboxes.awaitCount(james, "alice@example.com", before + 1);
            awaitAttempts(postfix, "alice@example.com", "sent", 1);
            awaitEmptyQueue(postfix);
            assertThat(decisions(james, "127.0.144.10", "alice@example.com")).last().asString()
                .contains("outcome=PASS reason=PASSED");
            assertThat(attempts(postfix, "alice@example.com", "deferred")).as("deferred attempts").isEqualTo(2);
            assertThat(attempts(postfix, "alice@example.com", "sent")).as("delivered attempts").isEqualTo(1);
        }
    }

    private static String mtaMessage(String recipient) {
        return "From: news@sender.example\nTo: " + recipient + "\nSubject: from a sending Postfix\n\nHello.\n";
    }

    /** Postfix logs one {@code status=} line per attempt of each recipient. */
    private static long attempts(PostfixSender postfix, String recipient, String status) throws IOException {
        return postfix.log().lines().filter(line -> line.contains(" to=<" + recipient + ">,"))
            .filter(line -> line.contains(" status=" + status + " ")).count();
    }

    private static void awaitAttempts(PostfixSender postfix, String recipient, String status, long count) throws Exception {
        awaitPostfix(postfix, count + " " + status + " attempts to " + recipient, () -> attempts(postfix, recipient, status) >= count);
    }

    private static void awaitEmptyQueue(PostfixSender postfix) throws Exception {
        awaitPostfix(postfix, "an empty queue", postfix::queueEmpty);
    }

    /** Waits for what Postfix is expected to do; if it does not, the failure shows its queue and log. */
    private static void awaitPostfix(PostfixSender postfix, String what, Callable<Boolean> condition) throws Exception {
        try {
            Awaitility.await(what).atMost(Duration.ofSeconds(30)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Postfix: no " + what + " within 30 s; its queue:\n" + postfix.queue()
                + "its log:\n" + postfix.log(), e);
        }
    }

    /** Whatever SPF says short of a pass, and a DNS server that never answers: the client network, in bounded time. */
    @ParameterizedTest
    @CsvSource({
        "fail.example,      127.0.180",
        "softfail.example,  127.0.182",
        "neutral.example,   127.0.184",
        "nospf.example,     127.0.186",
        "malformed.example, 127.0.188",
        "silent.example,    127.0.190"})
    void anythingButAPassKeysTheTripletByTheClientNetwork(String domain, String network) throws Exception {
        String sender = "<someone@" + domain + ">";
        String first = network + ".2";
        String other = network.substring(0, network.lastIndexOf('.') + 1)
            + (Integer.parseInt(network.substring(network.lastIndexOf('.') + 1)) + 1) + ".2";

        assertThat(timedRcpt(first, sender, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();
        assertThat(timedRcpt(other, sender, "alice@example.com").asString()).as("another network").isEqualTo(DEFERRAL);
        assertThat(timedRcpt(first, sender, "alice@example.com").code()).as("the same network").isEqualTo(250);
    }

    /**
     * The evaluation starts at MAIL FROM and its bound counts from there: a RCPT sent once the bound has passed (the
     * sender's DNS never answers) is answered without waiting for DNS again, by the client network.
     */
    @Test
    void theEvaluationStartsAtMailFromSoARcptAfterTheBoundDoesNotWait() throws Exception {
        try (SmtpClient client = Smtp.open(james, "127.0.192.2", "<someone@silent.example>")) {
            Thread.sleep(2300);
            long start = System.nanoTime();
            Reply reply = client.rcptTo("alice@example.com");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("RCPT after the bound").isLessThan(Duration.ofMillis(1500));
            assertThat(reply.asString()).isEqualTo(DEFERRAL);
        }
    }

    /**
     * One RCPT in a transaction of its own, answered within the evaluation's bound (the identity is awaited at the
     * first RCPT, so the RCPT alone is timed: connecting on a loaded machine says nothing about it), never with a 5xx.
     */
    private Reply timedRcpt(String source, String sender, String recipient) throws IOException {
        try (SmtpClient client = Smtp.open(james, source, sender)) {
            long start = System.nanoTime();
            Reply reply = client.rcptTo(recipient);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("RCPT reply to %s", source).isLessThan(BOUNDED);
            assertThat(reply.code() / 100).as(reply.asString()).isNotEqualTo(5);
            return reply;
        }
    }

    @Test
    void aScannerWithItsOwnSpfGainsNoReplyDifferenceAndIsPenalisedPerNetworkAsBefore() throws Exception {
        String sender = "<scan@scanner.example>";
        List<Reply> first = Smtp.transaction(james, "127.0.160.2", sender, "alice@example.com", "nobody@example.com");
        assertThat(first.get(0).asString()).isEqualTo(DEFERRAL);
        assertThat(first.get(0).bytes()).isEqualTo(first.get(1).bytes());
        waitForTheDelay();
        assertThat(Smtp.transaction(james, "127.0.161.2", sender, "alice@example.com").get(0).code()).isEqualTo(250);

        List<Reply> guesses = Smtp.transaction(james, "127.0.161.2", sender,
            "u1@example.com", "u2@example.com", "u3@example.com", "u4@example.com");
        assertThat(guesses).extracting(Reply::asString).containsOnly(DEFERRAL);
        StoreSmtp.awaitPenalised(james, "127.0.161.2");

        assertThat(Smtp.transaction(james, "127.0.161.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
    }

    /**
     * A scanner that spreads its guesses over the networks its own SPF record authorises, one guess per network (never
     * above scan.threshold=3 on any of them), is penalised by its identity, and that penalty defers it from a network
     * it never guessed from, even for a triplet that has passed: spreading does not multiply its allowance.
     */
    @Test
    void aScannerSpreadOverNetworksUnderItsOwnSpfIsPenalisedByItsIdentity() throws Exception {
        String sender = "<scan@spreader.example>";
        assertThat(Smtp.transaction(james, "127.0.212.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        waitForTheDelay();

        for (int network = 208; network < 212; network++) {
            assertThat(Smtp.transaction(james, "127.0." + network + ".2", sender, "guess" + network + "@example.com").get(0).asString())
                .isEqualTo(DEFERRAL);
        }
        StoreSmtp.awaitPenalised(james, "spf:spreader.example");
        assertThat(james.log()).as("the penalty's line names the identity it is on")
            .contains("identity=spf:spreader.example stage=scan penalised=spf:spreader.example sender=<scan@spreader.example>");
        assertThat(new RcptGuardAdmin(james).get("/rcptguard/networks/127.0.211.2").json().get("penalised").asBoolean())
            .as("no network named more than one unknown recipient").isFalse();

        assertThat(Smtp.transaction(james, "127.0.213.2", sender, "alice@example.com").get(0).asString()).isEqualTo(DEFERRAL);
        assertThat(james.log()).contains("identity=spf:spreader.example sender=<scan@spreader.example>"
            + " recipient=<alice@example.com> class=- outcome=DEFER reason=PENALISED");
    }
}
