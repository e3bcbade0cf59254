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
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * WebAdmin changes across nodes sharing RcptGuard's state in Cassandra, one James process at a time (this machine's
 * limit), in order:
 *
 * <ol>
 * <li>James A runs; a whitelist entry written into the shared table by another node (here, by this test, with the
 * CQL a node's WebAdmin route runs) applies on A within {@code whitelist.refresh}, and its removal too; A's own
 * WebAdmin adds a whitelist entry, and A's SMTP traffic penalises a network and passes a triplet;</li>
 * <li>A stops and James B (another process, another home, {@code node.name=node-b}) starts on the same state: B's
 * SMTP decisions follow A's whitelist entry; B's routes show A's penalty and triplet; lifting the penalty and
 * forgetting the triplet through B change B's next SMTP decisions; B's counters are B's own.</li>
 * </ol>
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAdminClusterTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final Duration REFRESH = Duration.ofSeconds(1);
    static final Duration APPLIED_WITHIN = REFRESH.multipliedBy(5);
    static final Duration AFTER_THE_DELAY = Duration.ofMillis(2500);

    static final String OTHER_NODES_NETWORK = "127.0.93.0/24";
    static final String A_WHITELISTED = "127.0.94.0/24";
    static final String SCANNER = "127.0.95.2";
    static final String TRIPLET_SOURCE = "127.0.96.2";
    static final String SENDER = "<cluster@sender.example>";

    private JamesServerProcess james;
    private CqlSession cql;

    @BeforeAll
    void startNodeA() {
        cql = CASSANDRA.newSession();
        james = start("node-a");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private JamesServerProcess start(String node) {
        return CassandraStoreSettings.on(CASSANDRA)
            .timeout("2s")
            .policy("node.name", node)
            .policy("whitelist.refresh", "1s")
            .policy("greylist.delay", "2s")
            .policy("greylist.retry.window", "5m")
            .policy("scan.threshold", "3")
            .policy("scan.penalty.factor", "100")
            .policy("autowhitelist.passes", "0")
            .startJames(JamesServerProcess.projectConfDir());
    }

    /** What PUT/DELETE /rcptguard/whitelist/... of another node writes (CassandraWhitelistStore). */
    private void otherNodeWhitelists(String kind, String value, boolean add) {
        String table = CASSANDRA.keyspace() + ".rcptguard_whitelist";
        if (add) {
            cql.execute("INSERT INTO " + table + " (bucket, kind, value, added_at) VALUES (0, ?, ?, toTimestamp(now()))", kind, value);
        } else {
            cql.execute("DELETE FROM " + table + " WHERE bucket = 0 AND kind = ? AND value = ?", kind, value);
        }
    }

    private static Reply firstReplyWithin(JamesServerProcess james, String source, String recipient, Duration timeout,
                                          java.util.function.Predicate<Reply> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int attempt = 0;
        while (true) {
            Reply reply = rcpt(james, source, "<probe" + (attempt++) + "@sender.example>", recipient);
            if (done.test(reply) || System.nanoTime() - deadline > 0) {
                return reply;
            }
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void aWhitelistChangeMadeThroughAnotherNodeAppliesWithinTheRefresh() throws Exception {
        String source = "127.0.93.2";
        assertThat(rcpt(james, source, "<before@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);

        long added = System.nanoTime();
        otherNodeWhitelists("client", OTHER_NODES_NETWORK, true);
        Reply whitelisted = firstReplyWithin(james, source, "alice@example.com", APPLIED_WITHIN, reply -> reply.code() == 250);
        long appliedMillis = (System.nanoTime() - added) / 1_000_000;

        assertThat(whitelisted.code()).as("applied within %s", APPLIED_WITHIN).isEqualTo(250);
        assertThat(lastDecision(james, source, "alice@example.com")).contains("reason=WHITELISTED_CLIENT");
        assertThat(new RcptGuardAdmin(james).whitelist()).anySatisfy(entry ->
            assertThat(entry.get("value").asText()).isEqualTo(OTHER_NODES_NETWORK));

        long removed = System.nanoTime();
        otherNodeWhitelists("client", OTHER_NODES_NETWORK, false);
        Reply deferred = firstReplyWithin(james, source, "alice@example.com", APPLIED_WITHIN, reply -> reply.code() == 451);
        long removedMillis = (System.nanoTime() - removed) / 1_000_000;

        assertThat(deferred.asString()).isEqualTo(DEFERRAL);
        System.out.printf("WebAdminClusterTest: another node's whitelist entry applied after %d ms, its removal after %d ms"
            + " (whitelist.refresh=%s)%n", appliedMillis, removedMillis, REFRESH);
    }

    @Test
    @Order(2)
    void nodeAWhitelistsPenalisesAndPasses() throws Exception {
        RcptGuardAdmin admin = new RcptGuardAdmin(james);
        assertThat(admin.put("/rcptguard/whitelist/clients/" + A_WHITELISTED).status).isEqualTo(204);

        assertThat(rcpt(james, TRIPLET_SOURCE, SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(james, TRIPLET_SOURCE, SENDER, "alice@example.com").code()).isEqualTo(250);
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").code()).isEqualTo(250);
        for (int i = 1; i <= 4; i++) {
            assertThat(rcpt(james, SCANNER, SENDER, "probe" + i + "@example.com").asString()).isEqualTo(DEFERRAL);
        }
        awaitPenalised(james, SCANNER);
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(admin.get("/rcptguard/networks/" + SCANNER).json().get("penalised").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void nodeBAppliesAndChangesWhatNodeADid() throws Exception {
        JsonNode countersOfA = new RcptGuardAdmin(james).get("/rcptguard/counters").json();
        james.close();
        james = start("node-b");
        RcptGuardAdmin b = new RcptGuardAdmin(james);

        // A's whitelist entry: a first contact from that network passes on B
        assertThat(rcpt(james, "127.0.94.2", "<first@sender.example>", "alice@example.com").code()).isEqualTo(250);
        assertThat(lastDecision(james, "127.0.94.2", "alice@example.com")).contains("node=node-b").contains("reason=WHITELISTED_CLIENT");

        // A's penalty, seen and lifted through B
        JsonNode network = b.get("/rcptguard/networks/" + SCANNER).json();
        assertThat(network.get("penalised").asBoolean()).isTrue();
        assertThat(network.get("unknownRecipients").asInt()).isEqualTo(4);
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(b.delete("/rcptguard/penalties/" + SCANNER).status).isEqualTo(204);
        assertThat(rcpt(james, SCANNER, SENDER, "alice@example.com").code()).as("lifted through B").isEqualTo(250);

        // A's passed triplet, seen and forgotten through B
        String triplet = RcptGuardAdmin.triplet(TRIPLET_SOURCE, SENDER, "alice@example.com");
        assertThat(b.get(triplet).json().get("passed").asBoolean()).isTrue();
        assertThat(rcpt(james, TRIPLET_SOURCE, SENDER, "alice@example.com").code()).isEqualTo(250);
        assertThat(b.delete(triplet).status).isEqualTo(204);
        assertThat(rcpt(james, TRIPLET_SOURCE, SENDER, "alice@example.com").asString()).as("forgotten through B").isEqualTo(DEFERRAL);

        // B removes A's whitelist entry: B defers that network again
        assertThat(b.delete("/rcptguard/whitelist/clients/" + A_WHITELISTED).status).isEqualTo(204);
        assertThat(rcpt(james, "127.0.94.2", "<second@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);

        JsonNode countersOfB = b.get("/rcptguard/counters").json();
        assertThat(countersOfA.get("node").asText()).isEqualTo("node-a");
        assertThat(countersOfB.get("node").asText()).isEqualTo("node-b");
        assertThat(countersOfB.get("decisions").asLong()).as("B's own decisions only").isEqualTo(6);
    }
}
