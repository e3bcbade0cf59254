package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.rcpt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Grafana dashboard (docker/grafana/rcptguard-dashboard.json) checked the way it will be used: a real Prometheus
 * (Debian's) scrapes a real James with RcptGuard on Cassandra, with an SMTP-verified domain, under SMTP traffic (first
 * contacts, passed triplets, an unknown user, a verified recipient, a scan), and every PromQL expression of every panel
 * is evaluated through Prometheus's HTTP API and returns data, as does the query of the {@code instance} variable.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusDashboardTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    /**
     * Grafana's {@code $__rate_interval}: at least four scrape intervals (4 s here); wider, so that a busy machine's
     * late scrapes still leave two samples in the window.
     */
    static final String RATE_INTERVAL = "15s";
    static final Duration RETRY_LIMIT = Duration.ofSeconds(30);

    private FakeSmtpBackend backend;
    private JamesServerProcess james;
    private Prometheus prometheus;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Prometheus.installed(), "Prometheus (Debian's prometheus) is not installed");
        backend = new FakeSmtpBackend(address -> address.matches("v\\d+@example\\.org"), Duration.ZERO);
        james = CassandraStoreSettings.on(CASSANDRA)
            .policy("greylist.delay", "2s")
            .policy("autowhitelist.passes", "1000")
            .policy("scan.threshold", "3")
            .policy("directory.domains", "example.org")
            .policy("directory.example.org.sources", "smtp")
            .policy("directory.example.org.smtp.host", "127.0.0.1:" + backend.port())
            .startJames(JamesServerProcess.projectConfDir());
        Path base = Path.of(System.getProperty("rcptguard.it.work.dir", "target/james-homes")).toAbsolutePath();
        Files.createDirectories(base);
        prometheus = new Prometheus(Files.createTempDirectory(base, "prometheus-"), List.of(instance()));
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (james != null) {
            james.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private String instance() {
        return "127.0.0.1:" + james.webAdminPort();
    }

    @Test
    void everyExpressionOfTheDashboardReturnsDataFromARealPrometheus() throws Exception {
        prometheus.awaitScrapes(2, Duration.ofMinutes(1));
        driveTraffic();
        prometheus.awaitScrapes(20, Duration.ofMinutes(2));

        assertThat(prometheus.labelValues("instance", "rcptguard_mode_observe").toString()).contains(instance());
        List<String> expressions = GrafanaDashboard.expressions();
        assertThat(expressions).as("the dashboard's expressions").hasSizeGreaterThan(50);
        List<String> empty = new ArrayList<>();
        for (String expression : expressions) {
            String promql = GrafanaDashboard.substitute(expression, RATE_INTERVAL, instance());
            if (prometheus.query(promql).get("result").isEmpty()) {
                empty.add(promql);
            }
        }
        System.out.printf("PrometheusDashboardTest: %d expressions evaluated, %d without data%n", expressions.size(), empty.size());
        assertThat(empty).as("expressions that returned no data").isEmpty();

        // and the data is the traffic's
        assertThat(value("max(rcptguard_rcpt_outcome_DEFER_total)")).isPositive();
        assertThat(value("max(rcptguard_rcpt_outcome_PASS_total)")).isPositive();
        assertThat(value("max(rcptguard_rcpt_outcome_REJECT_UNKNOWN_USER_total)")).isPositive();
        assertThat(value("max(rcptguard_penalties_total)")).isPositive();
        assertThat(value("max(rcptguard_directory_cache_misses_total)")).isPositive();
        assertThat(value("max(rcptguard_cassandra_requests_total)")).isPositive();
        assertThat(value("max(rcptguard_store_network_penalise_count)")).isPositive();
    }

    private double value(String promql) throws Exception {
        JsonNode result = prometheus.query(promql).get("result");
        assertThat(result.size()).as(promql).isEqualTo(1);
        return result.get(0).get("value").get(1).asDouble();
    }

    /** The first reply to the triplet that is not a deferral: it has passed. */
    private Reply afterTheDelay(String client, String sender, String recipient) throws Exception {
        return StoreSmtp.last(StoreSmtp.until(james, client, sender, recipient, RETRY_LIMIT, reply -> reply.code() != 451));
    }

    /** First contacts, the same triplets passed (a hosted user accepted, an unknown one refused), a verified recipient, a scan. */
    private void driveTraffic() throws Exception {
        String client = "127.0.97.2";
        String sender = "<dashboard@sender.example>";
        List<String> recipients = List.of("alice@example.com", "nobody@example.com", "v1@example.org");
        for (String recipient : recipients) {
            assertThat(rcpt(james, client, sender, recipient).asString()).isEqualTo(DEFERRAL);
        }
        assertThat(afterTheDelay(client, sender, "alice@example.com").code()).isEqualTo(250);
        assertThat(afterTheDelay(client, sender, "nobody@example.com").code()).isEqualTo(550);
        assertThat(afterTheDelay(client, sender, "v1@example.org").code()).isEqualTo(250);

        String scanner = "127.0.98.2";
        RcptGuardSmtpTest.Smtp.transaction(james, scanner, "<scan@scanner.example>",
            "n1@example.com", "n2@example.com", "n3@example.com", "n4@example.com", "n5@example.com");
        StoreSmtp.awaitPenalised(james, scanner);
    }
}
