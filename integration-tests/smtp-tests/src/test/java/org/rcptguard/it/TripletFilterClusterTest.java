package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.lastDecision;
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
import org.rcptguard.launcher.JamesServerProcess;

/**
 * The triplet filter (docs/design.md, "State") over two James nodes on one real Cassandra node, with a greylist
 * delay long enough for the filter to answer first contacts (10 s): a node answers a first contact without reading
 * Cassandra only for a triplet no node has recorded, so a retry through the other node after the delay passes, and a
 * node started after a first attempt knows it from its scan of the greylist.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TripletFilterClusterTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final Duration DELAY = Duration.ofSeconds(10);
    static final Duration AFTER_THE_DELAY = DELAY.plusMillis(500);
    static final Duration START = Duration.ofSeconds(60);
    static final String FILTER_WHOLE = "RcptGuard's triplet filter holds the greylist";
    static final String SOURCE = "127.0.71.2";

    private CassandraStoreSettings settings;
    private JamesServerProcess a;
    private JamesServerProcess b;

    @BeforeAll
    void startTwoJamesNodes() {
        settings = CassandraStoreSettings.on(CASSANDRA)
            .timeout("2s")
            .policy("greylist.delay", DELAY.toSeconds() + "s")
            .policy("greylist.retry.window", "5m")
            .policy("autowhitelist.passes", "0");
        a = startJames();
        b = startJames();
    }

    @AfterAll
    void stopJamesNodes() {
        CassandraStoreSettings.closeAll(a, b);
    }

    private JamesServerProcess startJames() {
        JamesServerProcess james = settings.startJames(JamesServerProcess.projectConfDir());
        james.awaitLog(FILTER_WHOLE, START);
        return james;
    }

    @Test
    @Order(1)
    void aFirstContactThroughOneNodeIsKnownToTheOtherWhichPassesItsRetry() throws Exception {
        assertThat(rcpt(a, SOURCE, "<cross@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(rcpt(b, SOURCE, "<other@sender.example>", "alice@example.com").asString())
            .as("a triplet no node recorded: deferred by B's filter").isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());

        assertThat(rcpt(b, SOURCE, "<cross@sender.example>", "alice@example.com").code()).as("the retry through B").isEqualTo(250);
        assertThat(lastDecision(b, SOURCE, "alice@example.com")).contains("reason=PASSED");
        assertThat(rcpt(a, SOURCE, "<other@sender.example>", "alice@example.com").code()).as("B's first contact, retried through A")
            .isEqualTo(250);
        for (JamesServerProcess james : new JamesServerProcess[] {a, b}) {
            assertThat(james.webAdmin().get("/metrics").body()).containsPattern("(?m)^rcptguard_triplet_filter_answering 1\\.0$")
                .containsPattern("(?m)^rcptguard_triplet_filter_entries [2-9]\\.0$")
                .containsPattern("(?m)^rcptguard_penalty_changes_current 1\\.0$");
        }
    }

    @Test
    @Order(2)
    void aNodeStartedAfterAFirstAttemptKnowsItFromItsScanOfTheGreylist() throws Exception {
        assertThat(rcpt(a, SOURCE, "<before@sender.example>", "bob@example.com").asString()).isEqualTo(DEFERRAL);
        long recorded = System.nanoTime();
        b.stop();
        b = startJames();
        long sinceRecorded = Duration.ofNanos(System.nanoTime() - recorded).toMillis();
        System.out.printf("TripletFilterClusterTest: B restarted %d ms after A recorded the first attempt%n", sinceRecorded);
        Thread.sleep(Math.max(0, AFTER_THE_DELAY.toMillis() - sinceRecorded));

        assertThat(rcpt(b, SOURCE, "<before@sender.example>", "bob@example.com").code()).as("the retry through the new B").isEqualTo(250);
    }
}
