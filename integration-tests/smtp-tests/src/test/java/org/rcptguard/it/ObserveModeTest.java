package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.awaitPenalised;
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
import org.rcptguard.it.RcptGuardSmtpTest.Mailboxes;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Observe mode on the Cassandra store: a James with {@code mode=observe} lets through what RcptGuard would defer
 * (James decides as if it were absent) while logging, counting and recording every decision; then the same state
 * under a James with {@code mode=enforce} (a new process, as after editing rcptguard.properties and restarting):
 * what observe let through is deferred, and what was learned while observing is kept.
 *
 * <p>The tests build on each other, in order. One James at a time.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObserveModeTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final Duration AFTER_THE_DELAY = Duration.ofMillis(2500);
    static final String SOURCE = "127.0.81.2";
    static final String SCANNER = "127.0.82.2";
    static final String SENDER = "<watched@sender.example>";

    private JamesServerProcess james;

    @BeforeAll
    void startObserving() {
        james = start("observe");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private JamesServerProcess start(String mode) {
        return CassandraStoreSettings.on(CASSANDRA)
            .timeout("2s")
            .policy("mode", mode)
            .policy("greylist.delay", "2s")
            .policy("greylist.retry.window", "5m")
            .policy("scan.threshold", "3")
            // a scan's penalty of level 1 lasts 2 s x 100: it outlives the switch to enforce mode
            .policy("scan.penalty.factor", "100")
            .policy("autowhitelist.passes", "0")
            .startJames(JamesServerProcess.projectConfDir());
    }

    @Test
    @Order(1)
    void observeModeLetsJamesDecideAsIfRcptGuardWereAbsent() throws Exception {
        long before = james.webAdmin().inboxCount("alice@example.com");
        try (SmtpClient client = Smtp.open(james, SOURCE, SENDER)) {
            assertThat(client.rcptTo("alice@example.com").code()).as("first contact, valid").isEqualTo(250);
            Reply unknown = client.rcptTo("nobody@example.com");
            assertThat(unknown.code()).as("first contact, unknown: James's own refusal").isEqualTo(550);
            assertThat(unknown.asString()).isNotEqualTo(DEFERRAL);
            assertThat(client.data(Smtp.message("observed")).code()).isEqualTo(250);
        }
        Mailboxes.awaitCount(james, "alice@example.com", before + 1);

        assertThat(lastDecision(james, SOURCE, "alice@example.com"))
            .contains("mode=observe").contains("class=- outcome=DEFER reason=GREYLISTED");
        assertThat(lastDecision(james, SOURCE, "nobody@example.com"))
            .contains("mode=observe").contains("class=- outcome=DEFER reason=GREYLISTED");
    }

    @Test
    @Order(2)
    void aScanIsDetectedAndRecordedButNotApplied() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertThat(rcpt(james, SCANNER, SENDER, "probe" + i + "@example.com").code()).isEqualTo(550);
        }
        awaitPenalised(james, SCANNER);
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").code()).isEqualTo(250);

        assertThat(lastDecision(james, SCANNER, "alice@example.com")).contains("outcome=DEFER reason=PENALISED");
        JsonNode network = new RcptGuardAdmin(james).get("/rcptguard/networks/" + SCANNER).json();
        assertThat(network.get("penalised").asBoolean()).isTrue();
        JsonNode counters = new RcptGuardAdmin(james).get("/rcptguard/counters").json();
        assertThat(counters.get("mode").asText()).isEqualTo("observe");
        assertThat(counters.get("deferred").asLong()).as("what RcptGuard would have deferred").isGreaterThanOrEqualTo(7);
        assertThat(counters.get("penalised").asLong()).isEqualTo(1);
        assertThat(james.webAdmin().get("/metrics").body()).containsPattern("(?m)^rcptguard_mode_observe 1\\.0$");
    }

    @Test
    @Order(3)
    void enforceModeDefersWhatObserveLetThroughAndKeepsWhatWasLearned() throws Exception {
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        james.close();
        james = start("enforce");
        RcptGuardAdmin admin = new RcptGuardAdmin(james);
        assertThat(admin.get("/rcptguard/status").json().get("mode").asText()).isEqualTo("enforce");

        // a first contact: observe mode let it through, enforce mode defers it
        assertThat(rcpt(james, SOURCE, "<new@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
        // the triplet first seen while observing has passed: delivered; its unknown twin is refused by RcptGuard
        assertThat(rcpt(james, SOURCE, SENDER, "alice@example.com").code()).isEqualTo(250);
        assertThat(lastDecision(james, SOURCE, "alice@example.com")).contains("mode=enforce").contains("reason=PASSED");
        assertThat(rcpt(james, SOURCE, SENDER, "nobody@example.com").asString()).isEqualTo("550 5.1.1 Unknown user\r\n");
        // the penalty imposed while observing is in force
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(lastDecision(james, SCANNER, "alice@example.com")).contains("reason=PENALISED");
        assertThat(james.webAdmin().get("/metrics").body()).containsPattern("(?m)^rcptguard_mode_observe 0\\.0$");
    }
}
