package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.rcpt;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * James's health check with RcptGuard's, on the Docker image's configuration (conf/ + docker/conf/: SMTP and WebAdmin
 * on 0.0.0.0, the Cassandra store) pointed at the run's Cassandra node: healthy, then unhealthy (503) while the node is
 * paused, and healthy again once it resumes, without restarting James. This is also what the image's HEALTHCHECK
 * (GET /healthcheck answers 200) relies on.
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthCheckTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private JamesServerProcess james;

    @BeforeAll
    void startJamesWithTheDockerConfiguration() {
        // the cluster of docker-compose.yml is replaced by the run's node: contact point, keyspace, replication 1
        james = CassandraStoreSettings.on(CASSANDRA)
            .timeout("1s")
            .policy("greylist.delay", "2s")
            .policy("node.name", "docker-conf")
            .startJames(DockerConf.merged());
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    private JsonNode check(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void theDockerConfigurationRunsRcptGuardOnCassandra() throws Exception {
        assertThat(rcpt(james, "127.0.91.2", "<docker@sender.example>", "alice@example.com").asString()).isEqualTo(DEFERRAL);
        JsonNode status = JSON.readTree(james.webAdmin().get("/rcptguard/status").body());
        assertThat(status.get("store").asText()).isEqualTo("cassandra");
        assertThat(status.get("node").asText()).isEqualTo("docker-conf");
        assertThat(james.webAdmin().get("/metrics").body()).contains("rcptguard_rcpt_reason_GREYLISTED_total");

        // a first contact costs the network's read, the triplet's read and the triplet's write (README, "Per RCPT")
        double requests = james.webAdmin().metric("rcptguard_cassandra_requests_total");
        rcpt(james, "127.0.91.2", "<docker2@sender.example>", "alice@example.com");
        assertThat(james.webAdmin().metric("rcptguard_cassandra_requests_total") - requests).isBetween(2.0, 4.0);
    }

    @Test
    void theHealthCheckIsUnhealthyWhileTheStoreIsPausedAndHealthyAgainAfter() throws Exception {
        HttpResponse<String> healthy = james.webAdmin().get("/healthcheck/checks/RcptGuard");
        assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);
        assertThat(check(healthy).get("status").asText()).isEqualTo("healthy");
        assertThat(check(healthy).get("componentName").asText()).isEqualTo("RcptGuard");
        assertThat(james.webAdmin().get("/healthcheck").statusCode()).isEqualTo(200);

        CassandraNode cassandra = CASSANDRA.node();
        HttpResponse<String> paused;
        HttpResponse<String> aggregated;
        Reply rcptWhilePaused;
        long resumedAt;
        cassandra.pause();
        try {
            long start = System.nanoTime();
            paused = james.webAdmin().get("/healthcheck/checks/RcptGuard");
            long checkMillis = (System.nanoTime() - start) / 1_000_000;
            aggregated = james.webAdmin().get("/healthcheck");
            rcptWhilePaused = rcpt(james, "127.0.91.3", "<paused@sender.example>", "alice@example.com");
            System.out.printf("HealthCheckTest: RcptGuard check answered in %d ms while Cassandra was paused: %s%n", checkMillis, paused.body());
            assertThat(checkMillis).as("bounded by cassandra.timeout").isLessThan(5000);
        } finally {
            cassandra.resume();
            resumedAt = System.nanoTime();
        }
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(503);
        assertThat(check(paused).get("status").asText()).isEqualTo("unhealthy");
        assertThat(check(paused).get("cause").asText()).contains("RcptGuard store cannot be reached");
        assertThat(aggregated.statusCode()).isEqualTo(503);
        assertThat(rcptWhilePaused.asString()).startsWith("451 4.3.0");

        HttpResponse<String> again = james.webAdmin().get("/healthcheck/checks/RcptGuard");
        while (again.statusCode() != 200 && System.nanoTime() - resumedAt < RECOVERY_LIMIT.toNanos()) {
            Thread.sleep(200);
            again = james.webAdmin().get("/healthcheck/checks/RcptGuard");
        }
        System.out.printf("HealthCheckTest: healthy again %d ms after the resume%n", (System.nanoTime() - resumedAt) / 1_000_000);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(check(again).get("status").asText()).isEqualTo("healthy");
        assertThat(james.webAdmin().get("/healthcheck").statusCode()).isEqualTo(200);
    }
}
