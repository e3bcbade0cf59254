package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.awaitPenalised;
import static org.rcptguard.it.StoreSmtp.lastDecision;
import static org.rcptguard.it.StoreSmtp.millisSince;
import static org.rcptguard.it.StoreSmtp.rcpt;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * A distributed harvest against two James nodes sharing RcptGuard's state in one real Cassandra, with scaled
 * settings (greylist.delay 2 s, harvest window 20 s, refresh 1 s, a domain under harvest above 10 unknown
 * recipients from more than 4 networks). A botnet of 6 /24s on loopback, each naming 2 candidates (far under the
 * per-network threshold of 10), half through each node, puts example.com under harvest on both nodes; a network
 * with reputation keeps flowing; a botnet network's retry waits three delays and its next unknown recipient
 * penalises it; the harvest ends on both nodes once its probes left the window, and a first contact waits the
 * ordinary delay again. Then an operator starts a harvest through one node's WebAdmin and the other node applies it
 * within a refresh; ending it through the other node ends it on the first. The tests build on each other, in order.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HarvestClusterTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final Duration DELAY = Duration.ofSeconds(2);
    static final Duration AFTER_THE_DELAY = DELAY.plusMillis(500);
    static final Duration WINDOW = Duration.ofSeconds(20);
    static final int BOTNET_NETWORKS = 6;

    static final String REPUTABLE_SOURCE = "127.0.71.2";
    static final String REPUTABLE_SENDER = "<partner@partner.example>";
    static final String BOT_SENDER = "<bot@spam.example>";
    static final String NEWCOMER_SOURCE = "127.0.72.2";
    static final String LATE_NEWCOMER_SOURCE = "127.0.73.2";
    static final String MANUAL_NEWCOMER_SOURCE = "127.0.74.2";

    private JamesServerProcess a;
    private JamesServerProcess b;
    private long botnetDone;

    @BeforeAll
    void startTwoJamesNodes() {
        CassandraStoreSettings settings = CassandraStoreSettings.on(CASSANDRA)
            .timeout("2s")
            .policy("greylist.delay", DELAY.toSeconds() + "s")
            .policy("greylist.retry.window", "1m")
            .policy("scan.threshold", "10")
            .policy("autowhitelist.passes", "0")
            .policy("harvest.window", WINDOW.toSeconds() + "s")
            .policy("harvest.refresh", "1s")
            .policy("harvest.unknown.threshold", "10")
            .policy("harvest.networks.threshold", "4");
        a = settings.startJames(JamesServerProcess.projectConfDir());
        b = settings.startJames(JamesServerProcess.projectConfDir());
    }

    @AfterAll
    void stopJamesNodes() {
        CassandraStoreSettings.closeAll(a, b);
    }

    private static String bot(int network) {
        return "127.0." + (80 + network) + ".2";
    }

    private static boolean underHarvest(JamesServerProcess james) {
        return new RcptGuardAdmin(james).get("/rcptguard/harvests/example.com").json().get("underHarvest").asBoolean();
    }

    @Test
    @Order(1)
    void aBotnetSpreadOverBothNodesPutsTheDomainUnderHarvestOnBoth() throws Exception {
        assertThat(rcpt(a, REPUTABLE_SOURCE, REPUTABLE_SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(b, REPUTABLE_SOURCE, REPUTABLE_SENDER, "alice@example.com").code()).isEqualTo(250);

        for (int network = 0; network < BOTNET_NETWORKS; network++) {
            JamesServerProcess node = network % 2 == 0 ? a : b;
            for (int guess = 0; guess < 2; guess++) {
                assertThat(rcpt(node, bot(network), BOT_SENDER, "guess" + network + "-" + guess + "@example.com").asString())
                    .isEqualTo(DEFERRAL);
            }
        }
        botnetDone = System.nanoTime();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> underHarvest(a) && underHarvest(b));
        System.out.printf("HarvestClusterTest: example.com under harvest on A and B %d ms after the botnet's last probe%n",
            millisSince(botnetDone));
        RcptGuardAdmin.Answer listed = new RcptGuardAdmin(a).get("/rcptguard/harvests");
        assertThat(listed.json().get(0).get("domain").asText()).isEqualTo("example.com");
        assertThat(listed.json().get(0).get("unknownRecipients").asInt()).isEqualTo(2 * BOTNET_NETWORKS);
        assertThat(listed.json().get(0).get("networks").asInt()).isEqualTo(BOTNET_NETWORKS);
        assertThat(new RcptGuardAdmin(b).get("/healthcheck/checks/RcptGuard").body).contains("example.com");
    }

    @Test
    @Order(2)
    void aReputableSenderKeepsFlowingOnBothNodes() throws Exception {
        assertThat(rcpt(a, REPUTABLE_SOURCE, REPUTABLE_SENDER, "alice@example.com").code()).isEqualTo(250);
        assertThat(rcpt(b, REPUTABLE_SOURCE, REPUTABLE_SENDER, "alice@example.com").code()).isEqualTo(250);
        assertThat(lastDecision(b, REPUTABLE_SOURCE, "alice@example.com")).contains("reason=PASSED").doesNotContain("harvest=");
    }

    @Test
    @Order(3)
    void aNewSenderWaitsThreeDelaysAndABotnetNetworksNextUnknownRecipientPenalisesIt() throws Exception {
        String sender = "<first@newcomer.example>";
        assertThat(rcpt(a, LATE_NEWCOMER_SOURCE, sender, "bob@example.com").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(b, LATE_NEWCOMER_SOURCE, sender, "bob@example.com").asString()).as("after one delay").isEqualTo(DEFERRAL);
        assertThat(lastDecision(b, LATE_NEWCOMER_SOURCE, "bob@example.com")).contains("reason=GREYLISTED")
            .contains("harvest=example.com");
        Thread.sleep(DELAY.multipliedBy(3).minus(AFTER_THE_DELAY).plusMillis(500).toMillis());
        assertThat(rcpt(a, LATE_NEWCOMER_SOURCE, sender, "bob@example.com").code()).as("after three delays").isEqualTo(250);

        assertThat(rcpt(b, bot(0), BOT_SENDER, "guess0-2@example.com").asString()).isEqualTo(DEFERRAL);
        awaitPenalised(a, bot(0));
        assertThat(rcpt(a, bot(0), BOT_SENDER, "bob@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(lastDecision(a, bot(0), "bob@example.com")).contains("reason=PENALISED").contains("harvest=example.com");
    }

    @Test
    @Order(4)
    void theHarvestEndsOnBothNodesAfterTheWindowAndAFirstContactWaitsTheOrdinaryDelayAgain() throws Exception {
        // a probe counts between one window and one window plus a bucket (a quarter window) in Cassandra
        Awaitility.await().atMost(WINDOW.multipliedBy(2)).until(() -> !underHarvest(a) && !underHarvest(b));
        long ended = millisSince(botnetDone);
        System.out.printf("HarvestClusterTest: the harvest ended on A and B %d ms after the botnet's last probe "
            + "(window %d s)%n", ended, WINDOW.toSeconds());
        assertThat(ended).isGreaterThanOrEqualTo(WINDOW.toMillis());

        assertThat(rcpt(a, NEWCOMER_SOURCE, "<new@sender.example>", "bob@example.com").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(b, NEWCOMER_SOURCE, "<new@sender.example>", "bob@example.com").code()).isEqualTo(250);
    }

    @Test
    @Order(5)
    void aHarvestStartedOrEndedByHandThroughOneNodeIsStartedOrEndedOnTheOtherWithinARefresh() throws Exception {
        long asked = System.nanoTime();
        RcptGuardAdmin.Answer started = new RcptGuardAdmin(a).post("/rcptguard/harvests/example.com");
        assertThat(started.status).as(started.toString()).isEqualTo(200);
        assertThat(underHarvest(a)).as("on the node asked, at once").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> underHarvest(b));
        long startedOnB = millisSince(asked);
        String sender = "<manual@newcomer.example>";
        assertThat(rcpt(b, MANUAL_NEWCOMER_SOURCE, sender, "bob@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(lastDecision(b, MANUAL_NEWCOMER_SOURCE, "bob@example.com")).contains("harvest=example.com");

        asked = System.nanoTime();
        assertThat(new RcptGuardAdmin(b).delete("/rcptguard/harvests/example.com").status).isEqualTo(204);
        assertThat(underHarvest(b)).as("on the node asked, at once").isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !underHarvest(a));
        long endedOnA = millisSince(asked);
        System.out.printf("HarvestClusterTest: started by hand through A, on at B after %d ms; ended by hand through B,"
            + " off at A after %d ms (harvest.refresh 1 s)%n", startedOnB, endedOnA);
        assertThat(new RcptGuardAdmin(a).delete("/rcptguard/harvests/example.com").status)
            .as("already ended everywhere").isEqualTo(404);
    }
}
