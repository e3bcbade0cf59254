package org.rcptguard.james.identity;

import org.rcptguard.launcher.Dnsmasq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rcptguard.core.identity.BoundedIdentityResolver;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.IdentityQuery;
import org.rcptguard.core.identity.IdentityRules;
import org.rcptguard.core.identity.IdentitySettings;
import org.rcptguard.core.identity.SpfResult;

/** The identity resolver as James would run it: jSPF and reverse look-ups over James's DNS service, asking a real dnsmasq. */
class JamesIdentityResolverTest {
    private static final IdentitySettings SETTINGS = new IdentitySettings(true, true, Duration.ofSeconds(2), 8);
    private static final List<String> ZONE = List.of(
        "--txt-record=pool.example.com,v=spf1 ip4:127.0.144.0/20 -all",
        "--txt-record=mta.pool.example.com,v=spf1 ip4:127.0.144.0/20 -all",
        "--txt-record=included.example.com,v=spf1 include:pool.example.com -all",
        "--txt-record=fail.example.com,v=spf1 -all",
        "--txt-record=softfail.example.com,v=spf1 ~all",
        "--txt-record=neutral.example.com,v=spf1 ?all",
        "--txt-record=malformed.example.com,v=spf1 ip4:127.0.144.0/20 frobnicate -all",
        "--txt-record=anyone.example.com,v=spf1 +all",
        "--host-record=nospf.example.com,127.0.99.1",
        "--host-record=mta9.out.bigsender.co.uk,127.0.150.9",
        "--host-record=mta10.out.bigsender.co.uk,127.0.151.10",
        "--host-record=liar.bigsender.co.uk,127.0.99.99",
        "--ptr-record=7.152.0.127.in-addr.arpa,liar.bigsender.co.uk",
        "--ptr-record=8.152.0.127.in-addr.arpa,dangling.bigsender.co.uk");

    @TempDir
    static Path home;
    private static Dnsmasq dnsmasq;
    private static DNSJavaService dns;
    private static BoundedIdentityResolver resolver;

    @BeforeAll
    static void startDns() throws Exception {
        assumeTrue(Dnsmasq.installed(), "dnsmasq is not installed");
        assumeTrue(Dnsmasq.canBindDnsPort(), "port 53 cannot be bound (not root)");
        dnsmasq = Dnsmasq.start(home.resolve("dns"), 300, ZONE);
        dns = jamesDns(dnsmasq.address().getHostAddress());
        resolver = resolver(dns);
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (resolver != null) {
            resolver.close();
        }
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.144.5", "127.0.150.9", "127.0.159.200"})
    void anSpfPassFromAnyNetworkOfThePoolIsOneIdentity(String client) {
        assertThat(resolver.resolve(query(client, "pool.example.com", "bounce-123@pool.example.com")))
            .isEqualTo(ClientIdentity.spf("pool.example.com"));
    }

    @Test
    void anIncludedRecordPassesForTheIncludingDomain() {
        assertThat(resolver.resolve(query("127.0.146.1", "h.example", "a@included.example.com")))
            .isEqualTo(ClientIdentity.spf("included.example.com"));
    }

    @Test
    void theNullSenderIsIdentifiedByItsHeloName() {
        assertThat(resolver.resolve(query("127.0.147.3", "mta.pool.example.com", "")))
            .isEqualTo(ClientIdentity.spf("mta.pool.example.com"));
    }

    @ParameterizedTest
    @CsvSource({
        "fail.example.com,FAIL",
        "softfail.example.com,SOFTFAIL",
        "neutral.example.com,NEUTRAL",
        "nospf.example.com,NONE",
        "nowhere.example.com,NONE",
        "malformed.example.com,PERMERROR",
    })
    void everyOtherResultIsTheClientNetwork(String domain, SpfResult expected) {
        IdentityQuery query = query("127.0.148.20", "h.example", "a@" + domain);

        assertThat(new JspfCheck(dns).check(query)).isEqualTo(expected);
        assertThat(resolver.resolve(query)).isEqualTo(ClientIdentity.parse("net:127.0.148.0/24"));
    }

    @Test
    void anAddressOutsideTheRecordFailsAndIsItsNetwork() {
        IdentityQuery query = query("127.0.160.1", "h.example", "a@pool.example.com");

        assertThat(new JspfCheck(dns).check(query)).isEqualTo(SpfResult.FAIL);
        assertThat(resolver.resolve(query)).isEqualTo(ClientIdentity.parse("net:127.0.160.0/24"));
    }

    /** A documented limit: the triplet still names sender and recipient, and scan detection stays per network. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.144.5", "127.0.99.1", "127.0.200.200"})
    void aRecordThatAuthorisesEveryoneIsOneIdentityForEveryClient(String client) {
        assertThat(resolver.resolve(query(client, "h.example", "a@anyone.example.com"))).isEqualTo(ClientIdentity.spf("anyone.example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.150.9", "127.0.151.10"})
    void withoutSpfAForwardConfirmedNameGroupsByOrganisationalDomain(String client) {
        assertThat(resolver.resolve(query(client, "h.example", "a@nospf.example.com")))
            .isEqualTo(ClientIdentity.fcrdns("bigsender.co.uk"));
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.152.7,net:127.0.152.0/24",   // the PTR name resolves to another address
        "127.0.152.8,net:127.0.152.0/24",   // the PTR name does not resolve
        "127.0.153.1,net:127.0.153.0/24",   // no PTR record
    })
    void aReverseNameThatDoesNotConfirmIsIgnored(String client, String identity) {
        assertThat(resolver.resolve(query(client, "h.example", "a@nospf.example.com"))).isEqualTo(ClientIdentity.parse(identity));
    }

    @Test
    void answersAreCachedForTheirTimeToLive() throws Exception {
        IdentityQuery query = query("127.0.155.5", "h.example", "a@included.example.com");
        resolver.resolve(query);
        int queries = dnsmasq.queries().size();

        assertThat(resolver.resolve(query)).isEqualTo(ClientIdentity.spf("included.example.com"));

        assertThat(dnsmasq.queries()).hasSize(queries);
    }

    @Test
    void dnsQueriesPerEvaluationOnAnEmptyCache() throws Exception {
        assertThat(queriesOfOneEvaluation(query("127.0.156.1", "h.example", "a@pool.example.com")))
            .containsExactly("query[TXT] pool.example.com");
        assertThat(queriesOfOneEvaluation(query("127.0.156.1", "h.example", "a@included.example.com")))
            .containsExactly("query[TXT] included.example.com", "query[TXT] pool.example.com");
        assertThat(queriesOfOneEvaluation(query("127.0.150.9", "h.example", "a@nospf.example.com")))
            .containsExactly("query[TXT] nospf.example.com", "query[PTR] 9.150.0.127.in-addr.arpa", "query[A] mta9.out.bigsender.co.uk");
    }

    /** The queries dnsmasq received for one evaluation by a resolver with a cache of its own, still empty. */
    private static List<String> queriesOfOneEvaluation(IdentityQuery query) throws Exception {
        try (BoundedIdentityResolver fresh = resolver(jamesDns(dnsmasq.address().getHostAddress()))) {
            int before = dnsmasq.queries().size();
            fresh.resolve(query);
            List<String> queries = dnsmasq.queries();
            return queries.subList(before, queries.size()).stream()
                .map(line -> line.substring(0, line.indexOf(" from "))).collect(Collectors.toList());
        }
    }

    @Test
    void aDnsServerThatDoesNotAnswerIsTheClientNetworkWithinTheBound() throws Exception {
        try (SilentDnsServer silent = new SilentDnsServer();
             BoundedIdentityResolver deaf = resolver(jamesDns(silent.address().getHostAddress()))) {
            long start = System.nanoTime();

            ClientIdentity identity = deaf.resolve(query("127.0.150.9", "h.example", "a@pool.example.com"));

            assertThat(identity).isEqualTo(ClientIdentity.parse("net:127.0.150.0/24"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2500));
            assertThat(deaf.timeouts()).isEqualTo(1);
        }
    }

    @Test
    void oneCheckServesConcurrentTransactions() throws Exception {
        ExecutorService transactions = Executors.newFixedThreadPool(8);
        try {
            List<Future<ClientIdentity>> pass = new ArrayList<>();
            List<Future<ClientIdentity>> fail = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String host = String.valueOf(1 + i);
                pass.add(transactions.submit(() -> resolver.resolve(query("127.0.145." + host, "h.example", "a@included.example.com"))));
                fail.add(transactions.submit(() -> resolver.resolve(query("127.0.161." + host, "h.example", "a@included.example.com"))));
            }
            for (int i = 0; i < pass.size(); i++) {
                assertThat(pass.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(ClientIdentity.spf("included.example.com"));
                assertThat(fail.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(ClientIdentity.parse("net:127.0.161.0/24"));
            }
        } finally {
            transactions.shutdownNow();
        }
    }

    @Test
    void jamesDnsServiceTakesNoPort() {
        assertThatThrownBy(() -> jamesDns(dnsmasq.address().getHostAddress() + ":5353")).isInstanceOf(UnknownHostException.class);
    }

    private static BoundedIdentityResolver resolver(DNSJavaService dns) {
        IdentityRules rules = new IdentityRules(new JspfCheck(dns), new JamesReverseNames(dns), SETTINGS, 24, 64);
        return new BoundedIdentityResolver(rules, SETTINGS);
    }

    /** James's own DNS service, configured as {@code dnsservice.xml} would configure it. */
    private static DNSJavaService jamesDns(String server) throws Exception {
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        configuration.addProperty("autodiscover", false);
        configuration.addProperty("setAsDNSJavaDefault", false);
        configuration.addProperty("servers.server", server);
        DNSJavaService service = new DNSJavaService(new RecordingMetricFactory());
        service.configure(configuration);
        service.init();
        return service;
    }

    private static IdentityQuery query(String client, String helo, String sender) {
        try {
            return IdentityQuery.of(InetAddress.getByName(client), helo, sender);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
