package org.rcptguard.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.NoAuthenticationFilter;
import org.apache.james.webadmin.mdc.LoggingRequestFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.james.JamesBindings;
import org.rcptguard.james.RcptGuardModule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.inject.Guice;
import com.google.inject.Injector;

/**
 * The route classes in James's own {@link WebAdminServer}, in process, on the memory store: how paths carry their
 * values (a CIDR as it is, a '+' kept), and the JSON names of each answer. The effects on SMTP decisions are the
 * integration tests' (WebAdminRoutesTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcptGuardRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebAdminServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        Injector injector = Guice.createInjector(JamesBindings.of(Map.of("whitelist.refresh", "1h", "node.name", "node-t"), null))
            .createChildInjector(new RcptGuardModule());
        server = new WebAdminServer(WebAdminConfiguration.TEST_CONFIGURATION, ImmutableList.of(
            injector.getInstance(StatusRoutes.class), injector.getInstance(WhitelistRoutes.class),
            injector.getInstance(ClientNetworkRoutes.class), injector.getInstance(PenaltyRoutes.class),
            injector.getInstance(TripletRoutes.class), injector.getInstance(RecipientRoutes.class),
            injector.getInstance(VerificationRoutes.class), injector.getInstance(CountersRoutes.class),
            injector.getInstance(HarvestRoutes.class)),
            new NoAuthenticationFilter(), new RecordingMetricFactory(), LoggingRequestFilter.create()) {
        };
        server.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort().getValue() + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = send("GET", path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode json) {
        return ImmutableList.copyOf(json.fieldNames());
    }

    @Test
    void aHarvestIsStartedAndEndedByHandAndListedWithItsCounts() throws Exception {
        assertThat(json("/rcptguard/harvests")).isEmpty();
        HttpResponse<String> started = send("POST", "/rcptguard/harvests/Harvested.Example");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(names(JSON.readTree(started.body()))).containsExactlyInAnyOrder("domain", "underHarvest",
            "unknownRecipients", "networks", "since", "until");

        JsonNode listed = json("/rcptguard/harvests");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("domain").asText()).isEqualTo("harvested.example");
        assertThat(json("/rcptguard/harvests/harvested.example").get("underHarvest").asBoolean()).isTrue();

        assertThat(send("DELETE", "/rcptguard/harvests/harvested.example").statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/rcptguard/harvests/harvested.example").statusCode()).isEqualTo(404);
        JsonNode ended = json("/rcptguard/harvests/harvested.example");
        assertThat(ended.get("underHarvest").asBoolean()).isFalse();
        assertThat(ended.get("unknownRecipients").asInt()).isZero();
        assertThat(send("POST", "/rcptguard/harvests/not..a..domain").statusCode()).isEqualTo(400);
    }

    @Test
    void aWhitelistValueIsACidrAsItIsOrAnAddressWithItsPlus() throws Exception {
        assertThat(send("PUT", "/rcptguard/whitelist/clients/192.0.2.0/24").statusCode()).isEqualTo(204);
        assertThat(send("PUT", "/rcptguard/whitelist/clients/198.51.100.7").statusCode()).isEqualTo(204);
        assertThat(send("PUT", "/rcptguard/whitelist/recipients/carol+news@example.com").statusCode()).isEqualTo(204);

        assertThat(json("/rcptguard/whitelist/clients")).extracting(entry -> entry.get("value").asText())
            .contains("192.0.2.0/24", "198.51.100.7/32");
        assertThat(json("/rcptguard/whitelist/recipients")).extracting(entry -> entry.get("value").asText())
            .contains("carol+news@example.com");
        assertThat(names(json("/rcptguard/whitelist").get(0))).containsExactly("kind", "value", "source");
        assertThat(send("DELETE", "/rcptguard/whitelist/recipients/carol%2Bnews@example.com").statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/rcptguard/whitelist/clients/192.0.2.0/24").statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/rcptguard/whitelist/clients/192.0.2.0/24").statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/rcptguard/whitelist/clients/192.0.2.0/24/8").statusCode()).as("not a value").isEqualTo(404);
    }

    @Test
    void aNetworkIsWrittenAsAnAddressOrAsItIs() throws Exception {
        JsonNode byAddress = json("/rcptguard/networks/203.0.113.9");
        JsonNode byNetwork = json("/rcptguard/networks/203.0.113.0/24");

        assertThat(byAddress.get("network").asText()).isEqualTo("203.0.113.0/24");
        assertThat(byNetwork).isEqualTo(byAddress);
        assertThat(names(byAddress)).containsExactly("network", "passedTriplets", "autoWhitelistPasses", "autoWhitelisted",
            "unknownRecipients", "scanThreshold", "scanWindow", "penalised", "penalty");
        assertThat(byAddress.get("penalty").isNull()).isTrue();
        assertThat(send("DELETE", "/rcptguard/penalties/203.0.113.0/24").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/rcptguard/networks/203.0.113.0/16").statusCode()).isEqualTo(400);
    }

    @Test
    void aRecipientKeepsItsPlusAndNamesItsClass() throws Exception {
        JsonNode governed = json("/rcptguard/recipients/Nobody+tag@example.com");
        JsonNode elsewhere = json("/rcptguard/recipients/someone@elsewhere.example");

        assertThat(governed.get("address").asText()).isEqualTo("nobody+tag@example.com");
        assertThat(names(governed)).containsExactly("address", "governed", "class", "directory", "cached", "reason");
        assertThat(governed.get("class").asText()).isEqualTo("INVALID");
        assertThat(elsewhere.get("governed").asBoolean()).isFalse();
        assertThat(elsewhere.get("class").isNull()).isTrue();
        assertThat(elsewhere.get("directory").isNull()).isTrue();
        assertThat(send("DELETE", "/rcptguard/verifications/nobody+tag@example.com").statusCode()).isEqualTo(404);
    }

    @Test
    void statusCountersAndAnUnknownTripletAnswerWithTheirNames() throws Exception {
        assertThat(names(json("/rcptguard/status"))).containsExactly("node", "mode", "store", "startedAt",
            "whitelistRefresh", "whitelistRefreshedAt");
        JsonNode counters = json("/rcptguard/counters");
        assertThat(names(counters)).containsExactly("node", "mode", "since", "decisions", "deferred", "passed", "trusted",
            "rejected", "penalised", "deferredWhilePenalised", "rejectedAfterData", "byOutcome", "byReason");
        assertThat(counters.get("node").asText()).isEqualTo("node-t");
        assertThat(counters.get("byReason").has("GREYLISTED")).isTrue();

        HttpResponse<String> unknown = send("GET", "/rcptguard/triplets?client=192.0.2.1&sender=%3C%3E&recipient=alice%40example.com");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("type").asText()).isEqualTo("notFound");
    }
}
