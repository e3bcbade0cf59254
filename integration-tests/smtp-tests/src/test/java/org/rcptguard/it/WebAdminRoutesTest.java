package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.awaitPenalised;
import static org.rcptguard.it.StoreSmtp.lastDecision;
import static org.rcptguard.it.StoreSmtp.rcpt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.it.RcptGuardAdmin.Answer;
import org.rcptguard.it.RcptGuardSmtpTest.Users;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.WebAdminClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RcptGuard's WebAdmin routes against a real James (memory store, the repository's conf/ with its
 * webadmin.properties and healthcheck.properties): status codes and bodies of every route, bad input refused with a
 * 400 naming the field and changing nothing, and each change's effect on the SMTP decisions of this node. Then the
 * counters, the decision log and James's /metrics after that traffic. One /24 network per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAdminRoutesTest {
    static final Duration AFTER_THE_DELAY = Duration.ofMillis(2500);
    static final String STATIC_NETWORK = "127.0.79.0/24";

    private JamesServerProcess james;
    private RcptGuardAdmin admin;

    @BeforeAll
    void startJames() {
        james = JamesServerProcess.builder()
            .confDir(JamesServerProcess.projectConfDir())
            .rcptguardProperties(Map.of(
                "greylist.delay", "2s",
                "greylist.retry.window", "1m",
                "scan.threshold", "3",
                "scan.penalty.factor", "30",
                "whitelist.clients", STATIC_NETWORK,
                "whitelist.refresh", "1s",
                "node.name", "node-a"))
            .start();
        Users.create(james.webAdmin());
        admin = new RcptGuardAdmin(james);
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private static void assertError(Answer answer, int status, String type, String... messageParts) {
        assertThat(answer.status).as(answer.toString()).isEqualTo(status);
        JsonNode json = answer.json();
        assertThat(json.get("statusCode").asInt()).isEqualTo(status);
        assertThat(json.get("type").asText()).isEqualTo(type);
        for (String part : messageParts) {
            assertThat(json.get("message").asText()).contains(part);
        }
    }

    @Test
    void statusNamesTheNodeTheModeAndTheStore() {
        Answer status = admin.get("/rcptguard/status");

        assertThat(status.status).isEqualTo(200);
        assertThat(status.json().get("node").asText()).isEqualTo("node-a");
        assertThat(status.json().get("mode").asText()).isEqualTo("enforce");
        assertThat(status.json().get("store").asText()).isEqualTo("memory");
        assertThat(status.json().get("whitelistRefresh").asText()).isEqualTo("1s");
        assertThat(status.json().get("whitelistRefreshedAt").isNull()).isFalse();
    }

    @Test
    void aWhitelistedClientNetworkIsNoLongerGreylistedUntilRemoved() throws Exception {
        String source = "127.0.71.2";
        assertThat(rcpt(james, source, "<first@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);

        Answer added = admin.put("/rcptguard/whitelist/clients/127.0.71.0/24");

        assertThat(added.status).as(added.toString()).isEqualTo(204);
        assertThat(added.body).isEmpty();
        assertThat(admin.whitelist()).anySatisfy(entry -> {
            assertThat(entry.get("kind").asText()).isEqualTo("client");
            assertThat(entry.get("value").asText()).isEqualTo("127.0.71.0/24");
            assertThat(entry.get("source").asText()).isEqualTo("webadmin");
        });
        assertThat(rcpt(james, source, "<second@sender.example>", "alice@example.com").code()).as("a valid recipient").isEqualTo(250);
        assertThat(lastDecision(james, source, "alice@example.com")).contains("reason=WHITELISTED_CLIENT");
        assertThat(rcpt(james, source, "<second@sender.example>", "nobody@example.com").asString())
            .as("left to James, which refuses an unknown user").startsWith("550 5.1.1");

        assertThat(admin.put("/rcptguard/whitelist/client/127.0.71.9/24").status).as("again, another spelling").isEqualTo(204);
        assertThat(admin.whitelist()).filteredOn(entry -> entry.get("value").asText().equals("127.0.71.0/24")).hasSize(1);

        assertThat(admin.delete("/rcptguard/whitelist/clients/127.0.71.0/24").status).isEqualTo(204);

        assertThat(admin.whitelist()).noneSatisfy(entry -> assertThat(entry.get("value").asText()).isEqualTo("127.0.71.0/24"));
        assertThat(rcpt(james, source, "<third@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertError(admin.delete("/rcptguard/whitelist/clients/127.0.71.0/24"), 404, "notFound", "127.0.71.0/24");
    }

    @Test
    void senderDomainsAndRecipientOptOutsAreWhitelistedToo() throws Exception {
        assertThat(admin.put("/rcptguard/whitelist/senders/Partner.Example").status).isEqualTo(204);
        assertThat(admin.put("/rcptguard/whitelist/recipients/bob@example.com").status).isEqualTo(204);
        assertThat(admin.put("/rcptguard/whitelist/recipients/alice+tag@example.com").status).as("a '+' stays a '+'").isEqualTo(204);

        assertThat(rcpt(james, "127.0.72.2", "<news@mail.partner.example>", "alice@example.com").code()).isEqualTo(250);
        assertThat(rcpt(james, "127.0.72.3", "<someone@sender.example>", "bob@example.com").code()).isEqualTo(250);
        assertThat(rcpt(james, "127.0.72.3", "<someone@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(admin.get("/rcptguard/whitelist/recipients").json()).extracting(entry -> entry.get("value").asText())
            .contains("bob@example.com", "alice+tag@example.com").doesNotContain("partner.example");
        assertThat(admin.get("/rcptguard/whitelist/senders").json()).extracting(entry -> entry.get("value").asText())
            .containsExactly("partner.example");

        assertThat(admin.delete("/rcptguard/whitelist/senders/partner.example").status).isEqualTo(204);
        assertThat(admin.delete("/rcptguard/whitelist/recipients/bob@example.com").status).isEqualTo(204);
        assertThat(admin.delete("/rcptguard/whitelist/recipients/alice%2Btag@example.com").status).as("percent-encoded").isEqualTo(204);
        assertThat(rcpt(james, "127.0.72.4", "<news@mail.partner.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
    }

    @Test
    void theConfiguredWhitelistIsListedAndCannotBeRemovedThroughWebAdmin() {
        assertThat(admin.whitelist()).anySatisfy(entry -> {
            assertThat(entry.get("value").asText()).isEqualTo(STATIC_NETWORK);
            assertThat(entry.get("source").asText()).isEqualTo("configuration");
        });

        assertError(admin.delete("/rcptguard/whitelist/clients/" + STATIC_NETWORK), 409, "WrongState", "rcptguard.properties");

        assertThat(admin.whitelist()).anySatisfy(entry -> assertThat(entry.get("value").asText()).isEqualTo(STATIC_NETWORK));
    }

    @Test
    void badWhitelistInputIsA400NamingTheFieldAndChangesNothing() {
        String before = admin.get("/rcptguard/whitelist").body;

        assertError(admin.put("/rcptguard/whitelist/clients/10.0.0.0/33"), 400, "InvalidArgument", "'value'", "10.0.0.0/33");
        assertError(admin.put("/rcptguard/whitelist/clients/mx.example.com"), 400, "InvalidArgument", "'value'");
        assertError(admin.put("/rcptguard/whitelist/networks/10.0.0.0/8"), 400, "InvalidArgument", "'kind'", "networks");
        assertError(admin.put("/rcptguard/whitelist/senders/bad_domain!"), 400, "InvalidArgument", "'value'");
        assertError(admin.put("/rcptguard/whitelist/recipients/user@"), 400, "InvalidArgument", "'value'");
        assertError(admin.put("/rcptguard/whitelist/recipients/a%20b@example.com"), 400, "InvalidArgument", "'value'");
        assertError(admin.delete("/rcptguard/whitelist/clients/300.0.0.1"), 400, "InvalidArgument", "'value'");
        assertError(admin.get("/rcptguard/whitelist/everything"), 400, "InvalidArgument", "'kind'");
        assertThat(admin.put("/rcptguard/whitelist/clients").status).as("no value").isEqualTo(404);

        assertThat(admin.get("/rcptguard/whitelist").body).isEqualTo(before);
    }

    @Test
    void aNetworkIsLookedUpAndItsPenaltyLifted() throws Exception {
        String source = "127.0.74.2";
        String sender = "<scan@sender.example>";
        assertThat(rcpt(james, source, sender, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(james, source, sender, "alice@example.com").code()).isEqualTo(250);
        // four distinct unknown recipients, threshold 3: level 1, 2 s x 30 = 60 s
        Smtp4.unknowns(james, source, sender, 4);
        awaitPenalised(james, source);

        Answer network = admin.get("/rcptguard/networks/" + source);

        assertThat(network.status).as(network.toString()).isEqualTo(200);
        JsonNode json = network.json();
        assertThat(json.get("network").asText()).isEqualTo("127.0.74.0/24");
        assertThat(json.get("passedTriplets").asInt()).isEqualTo(1);
        assertThat(json.get("autoWhitelistPasses").asInt()).isEqualTo(5);
        assertThat(json.get("autoWhitelisted").asBoolean()).isFalse();
        assertThat(json.get("unknownRecipients").asInt()).isEqualTo(4);
        assertThat(json.get("scanThreshold").asInt()).isEqualTo(3);
        assertThat(json.get("penalised").asBoolean()).isTrue();
        assertThat(json.get("penalty").get("level").asInt()).isEqualTo(1);
        assertThat(json.get("penalty").get("remainingSeconds").asLong()).isBetween(30L, 60L);
        JsonNode byNetwork = admin.get("/rcptguard/networks/127.0.74.0/24").json();
        assertThat(byNetwork.get("network").asText()).as("looked up by network").isEqualTo("127.0.74.0/24");
        assertThat(byNetwork.get("penalty").get("level")).isEqualTo(json.get("penalty").get("level"));
        assertThat(byNetwork.get("penalty").get("until")).isEqualTo(json.get("penalty").get("until"));
        assertThat(rcpt(james, source, sender, "alice@example.com").asString()).isEqualTo(DEFERRAL);
        assertThat(lastDecision(james, source, "alice@example.com")).contains("reason=PENALISED");

        assertThat(admin.delete("/rcptguard/penalties/127.0.74.0/24").status).isEqualTo(204);

        JsonNode lifted = admin.get("/rcptguard/networks/" + source).json();
        assertThat(lifted.get("penalised").asBoolean()).isFalse();
        assertThat(lifted.get("penalty").isNull()).isTrue();
        assertThat(lifted.get("unknownRecipients").asInt()).as("the scan evidence is forgotten with it").isZero();
        assertThat(lifted.get("passedTriplets").asInt()).as("the reputation is kept").isEqualTo(1);
        assertThat(rcpt(james, source, sender, "alice@example.com").code()).isEqualTo(250);
        assertError(admin.delete("/rcptguard/penalties/" + source), 404, "notFound", "127.0.74.0/24");
    }

    @Test
    void badNetworksAreA400NamingTheField() {
        assertError(admin.get("/rcptguard/networks/127.0.74.0/16"), 400, "InvalidArgument", "'network'", "/24");
        assertError(admin.get("/rcptguard/networks/not-an-address"), 400, "InvalidArgument", "'network'");
        assertError(admin.delete("/rcptguard/penalties/999.1.1.1"), 400, "InvalidArgument", "'network'");
        assertThat(admin.get("/rcptguard/networks/::1").json().get("network").asText()).isEqualTo("0:0:0:0:0:0:0:0/64");
        assertThat(admin.get("/rcptguard/networks/192.0.2.9").json().get("penalised").asBoolean()).as("an unknown network").isFalse();
        assertError(admin.get("/rcptguard/networks/spf:"), 400, "InvalidArgument", "'network'");
        assertError(admin.delete("/rcptguard/penalties/ptr:a:b.example"), 400, "InvalidArgument", "'network'");
        assertThat(admin.get("/rcptguard/networks/spf:Unknown.Example").json().get("network").asText())
            .as("a proven identity, as the RCPT hook keys it").isEqualTo("spf:unknown.example");
    }

    @Test
    void aTripletIsLookedUpAndForgotten() throws Exception {
        String source = "127.0.75.2";
        String path = RcptGuardAdmin.triplet(source, "batv+ext@sender.example", "Alice@example.com");
        assertThat(admin.get(path).status).as("not seen yet").isEqualTo(404);
        assertThat(rcpt(james, source, "<batv@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);

        Answer seen = admin.get(path);

        assertThat(seen.status).as(seen.toString()).isEqualTo(200);
        assertThat(seen.json().get("network").asText()).isEqualTo("127.0.75.0/24");
        assertThat(seen.json().get("sender").asText()).as("normalised").isEqualTo("batv@sender.example");
        assertThat(seen.json().get("recipient").asText()).isEqualTo("alice@example.com");
        assertThat(seen.json().get("passed").asBoolean()).isFalse();
        assertThat(seen.json().get("passesFrom").asText()).isNotEmpty();
        assertThat(seen.json().get("expires").asText()).isNotEmpty();

        Thread.sleep(AFTER_THE_DELAY.toMillis());
        assertThat(rcpt(james, source, "<batv@sender.example>", "alice@example.com").code()).isEqualTo(250);
        JsonNode passed = admin.get(RcptGuardAdmin.triplet("127.0.75.0/24", "<batv@sender.example>", "alice@example.com")).json();
        assertThat(passed.get("passed").asBoolean()).isTrue();
        assertThat(passed.get("passedAt").isNull()).isFalse();

        assertThat(admin.delete(path).status).isEqualTo(204);

        assertThat(admin.get(path).status).isEqualTo(404);
        assertThat(rcpt(james, source, "<batv@sender.example>", "alice@example.com").asString()).as("a first contact again")
            .isEqualTo(DEFERRAL);
        assertError(admin.delete(RcptGuardAdmin.triplet(source, "batv@sender.example", "bob@example.com")), 404, "notFound");
    }

    @Test
    void badTripletQueriesAreA400NamingTheParameter() {
        assertError(admin.get("/rcptguard/triplets?client=127.0.75.2&sender=a@b.example"), 400, "InvalidArgument", "'recipient'");
        assertError(admin.get(RcptGuardAdmin.triplet("mx.example", "a@b.example", "alice@example.com")), 400, "InvalidArgument", "'client'");
        assertError(admin.get(RcptGuardAdmin.triplet("127.0.75.2", "not an address", "alice@example.com")), 400, "InvalidArgument", "'sender'");
        assertError(admin.delete(RcptGuardAdmin.triplet("127.0.75.2", "a@b.example", "alice")), 400, "InvalidArgument", "'recipient'");
        assertThat(admin.get(RcptGuardAdmin.triplet("127.0.75.2", "<>", "alice@example.com")).status).as("the null sender").isEqualTo(404);
    }

    @Test
    void aRecipientIsLookedUpInJamesDirectoryWithoutCache() {
        JsonNode alice = admin.get("/rcptguard/recipients/Alice@example.com").json();
        JsonNode nobody = admin.get("/rcptguard/recipients/nobody@example.com").json();
        JsonNode elsewhere = admin.get("/rcptguard/recipients/someone@elsewhere.example").json();

        assertThat(alice.get("address").asText()).isEqualTo("alice@example.com");
        assertThat(alice.get("governed").asBoolean()).isTrue();
        assertThat(alice.get("class").asText()).isEqualTo("VALID");
        assertThat(alice.get("directory").asText()).isEqualTo("james");
        assertThat(alice.get("cached").asBoolean()).isFalse();
        assertThat(alice.get("reason").asText()).isEqualTo("user");
        assertThat(nobody.get("class").asText()).isEqualTo("INVALID");
        assertThat(nobody.get("directory").asText()).isEqualTo("james");
        assertThat(nobody.get("reason").asText()).isEqualTo("unknown");
        assertThat(elsewhere.get("governed").asBoolean()).isFalse();
        assertThat(elsewhere.get("class").isNull()).isTrue();
        assertError(admin.get("/rcptguard/recipients/not-an-address"), 400, "InvalidArgument", "'address'");
    }

    @Test
    void withoutSmtpVerificationThereIsNoVerificationToForget() {
        assertError(admin.delete("/rcptguard/verifications/alice@example.com"), 404, "notFound", "alice@example.com");
        assertError(admin.delete("/rcptguard/verifications/alice"), 400, "InvalidArgument", "'address'");
    }

    @Test
    void countersCountEveryDecisionOfThisNode() throws Exception {
        JsonNode before = admin.get("/rcptguard/counters").json();

        rcpt(james, "127.0.76.2", "<count@sender.example>", "alice@example.com");
        rcpt(james, "127.0.76.2", "<count@sender.example>", "nobody@example.com");

        JsonNode after = admin.get("/rcptguard/counters").json();
        assertThat(after.get("node").asText()).isEqualTo("node-a");
        assertThat(after.get("mode").asText()).isEqualTo("enforce");
        assertThat(after.get("since").asText()).isNotEmpty();
        assertThat(after.get("decisions").asLong() - before.get("decisions").asLong()).isEqualTo(2);
        assertThat(after.get("deferred").asLong() - before.get("deferred").asLong()).isEqualTo(2);
        assertThat(after.get("byReason").get("GREYLISTED").asLong() - before.get("byReason").get("GREYLISTED").asLong()).isEqualTo(2);
        assertThat(after.get("byOutcome").get("DEFER").asLong() - before.get("byOutcome").get("DEFER").asLong()).isEqualTo(2);
        for (String field : List.of("passed", "rejected", "penalised", "trusted", "deferredWhilePenalised", "rejectedAfterData")) {
            assertThat(after.get(field).isNumber()).as(field).isTrue();
        }
    }

    @Test
    void theDecisionLogNamesNodeModeClientAndNetwork() throws Exception {
        rcpt(james, "127.0.77.2", "<log@sender.example>", "nobody@example.com");

        assertThat(lastDecision(james, "127.0.77.2", "nobody@example.com")).contains("node=node-a mode=enforce client=127.0.77.2"
            + " network=127.0.77.0/24 session=").contains("sender=<log@sender.example> recipient=<nobody@example.com> class=-"
            + " outcome=DEFER reason=GREYLISTED");
    }

    @Test
    void metricsArePresentInPrometheusFormatAfterSmtpTraffic() throws Exception {
        rcpt(james, "127.0.78.2", "<metrics@sender.example>", "alice@example.com");
        Thread.sleep(AFTER_THE_DELAY.toMillis());
        rcpt(james, "127.0.78.2", "<metrics@sender.example>", "alice@example.com");
        rcpt(james, "127.0.78.2", "<metrics@sender.example>", "nobody@example.com");

        Answer metrics = new Answer(james.webAdmin().get("/metrics"));

        assertThat(metrics.status).isEqualTo(200);
        String text = metrics.body;
        assertThat(WebAdminClient.metric(text, "rcptguard_rcpt_outcome_DEFER_total")).isGreaterThanOrEqualTo(2);
        assertThat(WebAdminClient.metric(text, "rcptguard_rcpt_reason_PASSED_total")).isGreaterThanOrEqualTo(1);
        assertThat(WebAdminClient.metric(text, "rcptguard_rcpt_reason_GREYLISTED_total")).isGreaterThanOrEqualTo(2);
        assertThat(WebAdminClient.metric(text, "rcptguard_rcpt_outcome_TEMPORARY_FAILURE_total")).as("exists at 0").isZero();
        assertThat(WebAdminClient.metric(text, "rcptguard_rcpt_decision_count")).isGreaterThanOrEqualTo(3);
        assertThat(text).contains("rcptguard_rcpt_decision{quantile=\"0.99\",}");
        assertThat(WebAdminClient.metric(text, "rcptguard_store_triplet_find_count")).isGreaterThanOrEqualTo(3);
        assertThat(WebAdminClient.metric(text, "rcptguard_store_network_load_count")).isGreaterThanOrEqualTo(3);
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_classify_count")).isGreaterThanOrEqualTo(3);
        assertThat(WebAdminClient.metric(text, "rcptguard_whitelist_refresh_count")).isGreaterThanOrEqualTo(1);
        assertThat(WebAdminClient.metric(text, "rcptguard_mode_observe")).isZero();
        // no SMTP-verified domain here: the directory metrics exist, at 0
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_cache_hits_total")).isZero();
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_cache_misses_total")).isZero();
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_catchall_detections_total")).isZero();
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_catchall_domains")).isZero();
        assertThat(text).contains("# TYPE rcptguard_rcpt_outcome_DEFER_total counter");

        // every RcptGuard metric the Grafana dashboard shows exists in this /metrics
        Path dashboard = JamesServerProcess.projectConfDir().getParent().resolve("docker/grafana/rcptguard-dashboard.json");
        Set<String> shown = new TreeSet<>();
        Matcher names = Pattern.compile("rcptguard_[A-Za-z0-9_]+").matcher(Files.readString(dashboard));
        while (names.find()) {
            shown.add(names.group());
        }
        assertThat(shown).hasSizeGreaterThan(10);
        Set<String> exported = new TreeSet<>();
        text.lines().filter(line -> line.startsWith("rcptguard_"))
            .map(line -> line.split("[{ ]")[0])
            .forEach(exported::add);
        exported.addAll(exported.stream().map(name -> name.replaceAll("_(count|sum|total)$", "")).collect(java.util.stream.Collectors.toSet()));
        assertThat(exported).containsAll(shown);
        System.out.printf("WebAdminRoutesTest: the dashboard shows %d RcptGuard metrics, all present in /metrics: %s%n", shown.size(), shown);
    }

    /** Unknown recipients named in one transaction each. */
    static final class Smtp4 {
        static void unknowns(JamesServerProcess james, String source, String sender, int count) throws Exception {
            for (int i = 1; i <= count; i++) {
                assertThat(rcpt(james, source, sender, "unknown" + i + "@example.com").asString()).isEqualTo(DEFERRAL);
            }
        }
    }
}
