package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.awaitPenalised;
import static org.rcptguard.it.StoreSmtp.lastDecision;
import static org.rcptguard.it.StoreSmtp.millisSince;
import static org.rcptguard.it.StoreSmtp.rcpt;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.SmtpClient;

/**
 * Two James nodes, A and B, sharing RcptGuard's state in one real Cassandra node (the run's shared node, this class
 * in a keyspace of its own). Each James has its own mailboxes (memory app): delivery is checked on the node that
 * accepted the message, and the users exist on both.
 *
 * <p>The tests build on each other, in order: a triplet seen first through A passes through B; unknown recipients
 * named through A and B add up to one penalty; A restarted (a new James process, same settings) keeps both; WebAdmin
 * changes made through one running node change the other running node's SMTP decisions within the staleness bounds
 * of docs/design.md, "State".
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final Duration DELAY = Duration.ofSeconds(2);
    static final Duration AFTER_THE_DELAY = DELAY.plusMillis(500);
    /** A penalty of level L lasts DELAY x FACTOR^L. */
    static final int FACTOR = 2;
    static final Duration REFRESH = Duration.ofSeconds(1);
    /** docs/design.md, "State": how long a node's near cache may serve a network's penalty, and a passed triplet. */
    static final Duration PENALTY_BOUND = Duration.ofSeconds(1);
    static final Duration FORGET_BOUND = Duration.ofSeconds(10);
    static final Duration MARGIN = Duration.ofSeconds(3);

    static final String RETRY_SOURCE = "127.0.61.2";
    static final String RETRY_SENDER = "<cross@sender.example>";
    static final String SCAN_SOURCE = "127.0.62.2";
    static final String SCAN_SENDER = "<probe@sender.example>";
    static final String WHITELIST_SOURCE = "127.0.63.2";
    static final String WHITELIST_NETWORK = "127.0.63.0/24";

    private CassandraStoreSettings settings;
    private JamesServerProcess a;
    private JamesServerProcess b;

    @BeforeAll
    void startTwoJamesNodes() {
        settings = CassandraStoreSettings.on(CASSANDRA)
            .timeout("2s")
            .policy("greylist.delay", "2s")
            .policy("greylist.retry.window", "1m")
            .policy("scan.threshold", "3")
            .policy("scan.penalty.factor", Integer.toString(FACTOR))
            .policy("autowhitelist.passes", "0")
            .policy("whitelist.refresh", REFRESH.toSeconds() + "s");
        long start = System.nanoTime();
        a = startJames();
        long startedA = millisSince(start);
        b = startJames();
        System.out.printf("ClusterTest: James A started in %d ms, James B in %d ms; settings %s%n",
            startedA, millisSince(start) - startedA, settings);
    }

    @AfterAll
    void stopJamesNodes() {
        CassandraStoreSettings.closeAll(a, b);
    }

    private JamesServerProcess startJames() {
        return settings.startJames(JamesServerProcess.projectConfDir());
    }

    @Test
    @Order(1)
    void aTripletFirstSeenThroughOneNodePassesWhenRetriedThroughTheOther() throws Exception {
        assertThat(rcpt(a, RETRY_SOURCE, RETRY_SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(rcpt(a, RETRY_SOURCE, RETRY_SENDER, "nobody@example.com").asString()).isEqualTo(DEFERRAL);
        long aliceOnB = b.webAdmin().inboxCount("alice@example.com");
        Thread.sleep(AFTER_THE_DELAY.toMillis());

        try (SmtpClient client = Smtp.open(b, RETRY_SOURCE, RETRY_SENDER)) {
            assertThat(client.rcptTo("alice@example.com").code()).as("the retry through B").isEqualTo(250);
            assertThat(client.data(Smtp.message("first seen through A, retried through B")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(b, "alice@example.com", aliceOnB + 1);
        assertThat(rcpt(b, RETRY_SOURCE, RETRY_SENDER, "nobody@example.com").asString())
            .as("an unknown recipient, passed through A's record").startsWith("550 5.1.1");
    }

    @Test
    @Order(2)
    void unknownRecipientsNamedThroughBothNodesAddUpToOnePenalty() throws Exception {
        assertThat(rcpt(a, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(b, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").code()).isEqualTo(250);

        // Threshold 3: two distinct unknown recipients through A and one through B are not a scan yet...
        assertThat(Smtp.transaction(a, SCAN_SOURCE, SCAN_SENDER, "u1@example.com", "u2@example.com"))
            .allSatisfy(reply -> assertThat(reply.asString()).isEqualTo(DEFERRAL));
        assertThat(rcpt(b, SCAN_SOURCE, SCAN_SENDER, "u3@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(rcpt(a, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").code()).as("A, 3 unknowns").isEqualTo(250);
        assertThat(rcpt(b, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").code()).as("B, 3 unknowns").isEqualTo(250);

        // ... two more through B make 5 (level 2, 2 s x 2^2 = 8 s), though neither node saw more than 3.
        assertThat(Smtp.transaction(b, SCAN_SOURCE, SCAN_SENDER, "u4@example.com", "u5@example.com"))
            .allSatisfy(reply -> assertThat(reply.asString()).isEqualTo(DEFERRAL));
        awaitPenalised(a, SCAN_SOURCE);
        long penalised = System.nanoTime();
        assertThat(rcpt(a, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").asString()).as("A").isEqualTo(DEFERRAL);
        assertThat(rcpt(b, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").asString()).as("B").isEqualTo(DEFERRAL);
        long checked = millisSince(penalised);
        assertThat(checked).as("both checks ran within the 8 s penalty").isLessThan(8000);
        assertThat(lastDecision(a, SCAN_SOURCE, "alice@example.com")).contains("reason=PENALISED");
        assertThat(lastDecision(b, SCAN_SOURCE, "alice@example.com")).contains("reason=PENALISED");
        System.out.printf("ClusterTest: penalty seen on A and B %d ms after the 5th unknown recipient%n", checked);
    }

    @Test
    @Order(3)
    void aRestartedNodeKeepsEveryDecision() throws Exception {
        // Five more unknown recipients: level 7, 2 s x 2^7 = 256 s, longer than any restart of A (at most 20 s to
        // stop and 180 s to start).
        assertThat(Smtp.transaction(b, SCAN_SOURCE, SCAN_SENDER,
            "u6@example.com", "u7@example.com", "u8@example.com", "u9@example.com", "u10@example.com"))
            .allSatisfy(reply -> assertThat(reply.asString()).isEqualTo(DEFERRAL));
        long penalised = System.nanoTime();

        long stopping = System.nanoTime();
        a.stop();
        long stopped = millisSince(stopping);
        long starting = System.nanoTime();
        a = startJames();
        long started = millisSince(starting);
        System.out.printf("ClusterTest: James A stopped in %d ms and started again (new process, new home, same "
            + "settings) in %d ms%n", stopped, started);

        // The triplet passed before the restart passes right away through the new A, and is delivered there.
        try (SmtpClient client = Smtp.open(a, RETRY_SOURCE, RETRY_SENDER)) {
            assertThat(client.rcptTo("alice@example.com").code()).as("passed before A's restart").isEqualTo(250);
            assertThat(client.data(Smtp.message("passed before the restart")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(a, "alice@example.com", 1);
        assertThat(rcpt(a, RETRY_SOURCE, RETRY_SENDER, "nobody@example.com").asString()).startsWith("550 5.1.1");

        // The penalty is still in force: a passed triplet of the penalised network is deferred, as PENALISED.
        assertThat(millisSince(penalised)).as("still within the 256 s penalty").isLessThan(240_000);
        assertThat(rcpt(a, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(lastDecision(a, SCAN_SOURCE, "alice@example.com")).contains("reason=PENALISED");
        assertThat(rcpt(b, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
    }

    @Test
    @Order(4)
    void webAdminChangesThroughOneRunningNodeChangeTheOtherNodesDecisions() throws Exception {
        RcptGuardAdmin adminA = new RcptGuardAdmin(a);
        RcptGuardAdmin adminB = new RcptGuardAdmin(b);

        // The penalty of the previous test, lifted through A: B accepts the network's passed triplet within the
        // staleness bound of its near cache of networks, and A at once.
        assertThat(rcpt(b, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(adminA.delete("/rcptguard/penalties/" + SCAN_SOURCE).status).isEqualTo(204);
        assertThat(rcpt(a, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").code()).as("lifted through A, on A").isEqualTo(250);
        long lifted = millisUntil(PENALTY_BOUND, () -> rcpt(b, SCAN_SOURCE, SCAN_SENDER, "alice@example.com").code() == 250);

        // A passed triplet forgotten through B: gone for B at once, deferred by A within the bound of its near cache of
        // passes. (Not asked of B over SMTP: that deferral would record a first contact, which A's polling, retrying
        // after the greylisting delay, would then pass.)
        String retried = RcptGuardAdmin.triplet(RETRY_SOURCE, RETRY_SENDER, "alice@example.com");
        assertThat(rcpt(a, RETRY_SOURCE, RETRY_SENDER, "alice@example.com").code()).isEqualTo(250);
        assertThat(adminB.delete(retried).status).isEqualTo(204);
        assertThat(adminB.get(retried).status).as("forgotten through B, for B").isEqualTo(404);
        long forgotten = millisUntil(FORGET_BOUND,
            () -> rcpt(a, RETRY_SOURCE, RETRY_SENDER, "alice@example.com").asString().equals(DEFERRAL));
        System.out.printf("ClusterTest: a penalty lifted through A applied on B after %d ms (bound %s), a triplet "
            + "forgotten through B on A after %d ms (bound %s)%n", lifted, PENALTY_BOUND, forgotten, FORGET_BOUND);

        // A client network whitelisted through B: a first contact from it passes on A within the whitelist refresh,
        // and is deferred again once B removes the entry.
        assertThat(rcpt(a, WHITELIST_SOURCE, "<before@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(adminB.put("/rcptguard/whitelist/clients/" + WHITELIST_NETWORK).status).isEqualTo(204);
        long added = System.nanoTime();
        awaitReply(a, 250);
        long applied = millisSince(added);
        assertThat(adminB.delete("/rcptguard/whitelist/clients/" + WHITELIST_NETWORK).status).isEqualTo(204);
        long removed = System.nanoTime();
        awaitReply(a, 451);
        System.out.printf("ClusterTest: a whitelist entry added through B applied on A after %d ms, its removal after "
            + "%d ms (refresh %d s)%n", applied, millisSince(removed), REFRESH.toSeconds());
    }

    /**
     * Polls {@code changed} until it holds and returns how long that took; fails past {@code bound} plus
     * {@link #MARGIN}, the time one RCPT may take on a loaded machine.
     */
    private static long millisUntil(Duration bound, java.util.concurrent.Callable<Boolean> changed) throws Exception {
        long start = System.nanoTime();
        while (!changed.call()) {
            assertThat(millisSince(start)).as("changed within %s (+ %s)", bound, MARGIN).isLessThan(bound.plus(MARGIN).toMillis());
            Thread.sleep(100);
        }
        return millisSince(start);
    }

    /** Waits until a first contact from WHITELIST_SOURCE to A gets this reply code; fails after 5 refreshes. */
    private void awaitReply(JamesServerProcess james, int code) throws Exception {
        long deadline = System.nanoTime() + REFRESH.multipliedBy(5).toNanos();
        int attempt = 0;
        while (rcpt(james, WHITELIST_SOURCE, "<attempt" + attempt++ + "@sender.example>", "alice@example.com").code() != code) {
            assertThat(System.nanoTime()).as("reply %d within 5 refreshes", code).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
