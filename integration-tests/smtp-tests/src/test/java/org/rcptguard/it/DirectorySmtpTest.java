package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.it.RcptGuardAdmin.Answer;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;
import org.rcptguard.launcher.WebAdminClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Recipient directories in a real James 3.8.1 with RcptGuard: a relayed domain checked against a static list
 * (example.net), one verified against a slow SMTP backend (example.org, 200 ms per RCPT), one whose list is
 * missing (example.info), and one whose list answers while its SMTP backend is down (partial.example). Untrusted
 * clients from loopback /24 networks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectorySmtpTest {
    static final String DEFERRAL = "451 4.7.1 Please try again later\r\n";

    private final AtomicInteger senders = new AtomicInteger();
    private Path lists;
    private FakeSmtpBackend backend;
    private FakeSmtpBackend catchAllBackend;
    private JamesServerProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        lists = work;
        Files.writeString(lists.resolve("partial.example.txt"), "listed@partial.example\n", StandardCharsets.UTF_8);
        Files.writeString(lists.resolve("example.net.txt"), "# relay recipients of example.net\nbob@example.net OK\nthis line is wrong\n",
            StandardCharsets.UTF_8);
        // The backend knows v<n>@example.org and nobody else, and takes 200 ms per RCPT.
        backend = new FakeSmtpBackend(address -> address.matches("v\\d+@example\\.org"), Duration.ofMillis(200));
        // A backend that accepts any address.
        catchAllBackend = new FakeSmtpBackend(address -> true, Duration.ZERO);
        james = JamesServerProcess.builder()
            .confDir(JamesServerProcess.projectConfDir())
            .rcptguardProperties(Map.ofEntries(
                Map.entry("greylist.delay", "2s"),
                Map.entry("greylist.retry.window", "1m"),
                Map.entry("autowhitelist.passes", "0"),
                Map.entry("scan.threshold", "1000000"),
                Map.entry("directory.domains", "example.net,example.org,example.info,catchall.example,partial.example"),
                // Its list answers; its backend's port has nothing listening (connection refused, at once).
                Map.entry("directory.partial.example.sources", "list,smtp"),
                Map.entry("directory.partial.example.list", lists.resolve("partial.example.txt").toString()),
                Map.entry("directory.partial.example.smtp.host", "127.0.0.1:" + JamesServerProcess.freePort(false)),
                Map.entry("directory.catchall.example.sources", "smtp"),
                Map.entry("directory.catchall.example.smtp.host", "127.0.0.1:" + catchAllBackend.port()),
                Map.entry("directory.example.net.sources", "list"),
                Map.entry("directory.example.net.list", lists.resolve("example.net.txt").toString()),
                Map.entry("directory.example.info.sources", "list"),
                Map.entry("directory.example.info.list", lists.resolve("example.info.txt").toString()),
                Map.entry("directory.example.org.sources", "smtp"),
                Map.entry("directory.example.org.smtp.host", "127.0.0.1:" + backend.port()),
                Map.entry("directory.timeout", "500ms"),
                Map.entry("directory.max.concurrent", "4"),
                Map.entry("directory.list.check.interval", "0s")))
            .start();
        RcptGuardSmtpTest.Users.create(james.webAdmin());
    }

    @AfterAll
    void stop() throws IOException {
        if (james != null) {
            james.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (catchAllBackend != null) {
            catchAllBackend.close();
        }
    }

    private String freshSender() {
        return "<s" + senders.incrementAndGet() + "@sender.example>";
    }

    private Reply rcpt(String source, String sender, String recipient) throws IOException {
        try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, source, sender)) {
            Reply reply = client.rcptTo(recipient);
            client.quit();
            return reply;
        }
    }

    @Test
    void aRelayedDomainIsGovernedAndItsListDecidesOnceTheTripletPassed() throws Exception {
        Reply valid = rcpt("127.0.41.2", "<a@sender.example>", "bob@example.net");
        Reply unknown = rcpt("127.0.41.2", "<a@sender.example>", "carol@example.net");
        assertThat(valid.asString()).isEqualTo(DEFERRAL);
        assertThat(valid.bytes()).isEqualTo(unknown.bytes());

        Thread.sleep(2_300);
        assertThat(rcpt("127.0.41.2", "<a@sender.example>", "carol@example.net").asString()).startsWith("550 5.1.1");
        assertThat(james.log()).contains("line 3: malformed entry 'this line is wrong'");
    }

    @Test
    void aMissingListDefersEveryRecipientAndItsArrivalIsPickedUpWithoutRestart() throws Exception {
        String early = freshSender();
        assertThat(rcpt("127.0.42.2", early, "dave@example.info").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(2_300);
        // Passed, but the list that would decide is missing: a temporary failure, never a 5xx.
        assertThat(rcpt("127.0.42.2", early, "dave@example.info").asString()).startsWith("451 4.3.0");

        Files.writeString(lists.resolve("example.info.txt"), "dave@example.info\n", StandardCharsets.UTF_8);
        Thread.sleep(50);
        String sender = freshSender();
        assertThat(rcpt("127.0.42.2", sender, "dave@example.info").asString()).isEqualTo(DEFERRAL);
        assertThat(rcpt("127.0.42.2", sender, "erin@example.info").asString()).isEqualTo(DEFERRAL);
        Thread.sleep(2_300);
        assertThat(rcpt("127.0.42.2", sender, "erin@example.info").asString()).startsWith("550 5.1.1");
    }

    /**
     * No oracle before greylisting (docs/design.md) during a partial outage: the list knows listed@ (VALID) while the backend that would decide the others
     * is down (UNDECIDED). Before the triplet passed both get the greylisting deferral, byte for byte and at once (no
     * look-up is waited for); once it passed, the listed recipient is accepted and the other hears of the failure.
     */
    @Test
    void aBackendOutageDoesNotTellListedFromUnlistedRecipientsBeforeTheTripletPassed() throws Exception {
        List<Long> listed = new ArrayList<>();
        List<Long> unlisted = new ArrayList<>();
        String sender = null;
        // A fresh sender each time, as first contacts.
        for (int i = 0; i < 6; i++) {
            sender = freshSender();
            try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.49.2", sender)) {
                long start = System.nanoTime();
                Reply listedReply = client.rcptTo("listed@partial.example");
                listed.add((System.nanoTime() - start) / 1_000_000);
                start = System.nanoTime();
                Reply unlistedReply = client.rcptTo("unlisted@partial.example");
                unlisted.add((System.nanoTime() - start) / 1_000_000);
                assertThat(listedReply.asString()).isEqualTo(DEFERRAL);
                assertThat(unlistedReply.bytes()).isEqualTo(listedReply.bytes());
                client.quit();
            }
        }
        System.out.println("Backend down, list up, untrusted unpassed: listed " + distribution(listed) + "; unlisted "
            + distribution(unlisted));
        assertThat(Math.abs(percentile(listed, 50) - percentile(unlisted, 50))).isLessThanOrEqualTo(50);

        Thread.sleep(2_300);
        // The last sender's triplets: first seen less than the retry window ago.
        try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.49.2", sender)) {
            long start = System.nanoTime();
            assertThat(client.rcptTo("listed@partial.example").code()).isEqualTo(250);
            assertThat(client.rcptTo("unlisted@partial.example").asString()).startsWith("451 4.3.0");
            // Connection refused: the failure is known at once, within the lookup timeout anyway.
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
            client.quit();
        }
    }

    @Test
    void aCatchAllBackendIsReportedAndItsRecipientsAreNeverAccepted() throws Exception {
        String sender = freshSender();
        String[] recipients = {"anyone@catchall.example", "nobody-at-all@catchall.example"};
        for (String recipient : recipients) {
            assertThat(rcpt("127.0.48.2", sender, recipient).asString()).as(recipient).isEqualTo(DEFERRAL);
        }
        Thread.sleep(2_300);
        // Passed: still not accepted, since a catch-all backend's "yes" says nothing.
        for (String recipient : recipients) {
            assertThat(rcpt("127.0.48.2", sender, recipient).asString()).as(recipient).startsWith("451 4.3.0");
        }
        assertThat(catchAllBackend.commands()).anyMatch(command -> command.startsWith("RCPT TO:<rcptguard-probe-"));
        assertThat(james.log()).contains("The backend of catchall.example accepts any address (catch-all)");
    }

    /** GET /rcptguard/recipients names the source that answered, whether the answer was cached, and why. */
    @Test
    void theRecipientRouteReportsTheSourceTheCacheAndTheReason() throws Exception {
        RcptGuardAdmin admin = new RcptGuardAdmin(james);

        JsonNode bob = admin.get("/rcptguard/recipients/Bob@example.net").json();
        assertThat(bob.get("governed").asBoolean()).isTrue();
        assertThat(bob.get("class").asText()).isEqualTo("VALID");
        assertThat(bob.get("directory").asText()).isEqualTo("list");
        assertThat(bob.get("cached").asBoolean()).isFalse();
        assertThat(bob.get("reason").asText()).isEqualTo("listed");
        JsonNode carol = admin.get("/rcptguard/recipients/carol@example.net").json();
        assertThat(carol.get("class").asText()).isEqualTo("INVALID");
        assertThat(carol.get("directory").asText()).isEqualTo("list");
        assertThat(carol.get("reason").asText()).isEqualTo("not listed");

        // A fresh address of the SMTP backend: verified on the first call, from the cache on the second.
        JsonNode first = verified(admin, "v777@example.org");
        assertThat(first.get("class").asText()).as(first.toString()).isEqualTo("VALID");
        assertThat(first.get("directory").asText()).isEqualTo("smtp");
        assertThat(first.get("reason").asText()).isEqualTo("backend accepted");
        JsonNode second = admin.get("/rcptguard/recipients/v777@example.org").json();
        assertThat(second.get("class").asText()).isEqualTo("VALID");
        assertThat(second.get("directory").asText()).isEqualTo("smtp");
        assertThat(second.get("cached").asBoolean()).as(second.toString()).isTrue();
        assertThat(second.get("reason").asText()).isEqualTo("backend accepted");
        JsonNode unknown = verified(admin, "nobody777@example.org");
        assertThat(unknown.get("class").asText()).isEqualTo("INVALID");
        assertThat(unknown.get("reason").asText()).isEqualTo("backend refused");

        JsonNode catchAll = verified(admin, "whoever@catchall.example");
        assertThat(catchAll.get("class").asText()).isEqualTo("UNDECIDED");
        assertThat(catchAll.get("directory").asText()).isEqualTo("smtp");
        assertThat(catchAll.get("reason").asText()).isEqualTo("catch-all backend");
    }

    /** DELETE /rcptguard/verifications/{address}: the cached answer goes, and the next lookup asks the backend again. */
    @Test
    void aCachedVerificationCanBeForgotten() throws Exception {
        RcptGuardAdmin admin = new RcptGuardAdmin(james);
        verified(admin, "v778@example.org");
        assertThat(admin.get("/rcptguard/recipients/v778@example.org").json().get("cached").asBoolean()).isTrue();

        assertThat(admin.delete("/rcptguard/verifications/V778@example.org").status).isEqualTo(204);
        Answer again = admin.delete("/rcptguard/verifications/v778@example.org");
        assertThat(again.status).as(again.toString()).isEqualTo(404);
        assertThat(again.json().get("type").asText()).isEqualTo("notFound");
        long asked = backend.commands().stream().filter("RCPT TO:<v778@example.org>"::equals).count();
        JsonNode reverified = verified(admin, "v778@example.org");
        assertThat(reverified.get("class").asText()).isEqualTo("VALID");
        assertThat(backend.commands().stream().filter("RCPT TO:<v778@example.org>"::equals).count()).isGreaterThan(asked);

        assertThat(admin.delete("/rcptguard/verifications/never-verified@example.org").status).isEqualTo(404);
        Answer malformed = admin.delete("/rcptguard/verifications/not-an-address");
        assertThat(malformed.status).isEqualTo(400);
        assertThat(malformed.json().get("type").asText()).isEqualTo("InvalidArgument");
        assertThat(malformed.json().get("message").asText()).contains("'address'");
    }

    /** The verification cache's hits and misses, and the catch-all detections, in James's /metrics. */
    @Test
    void verificationCacheAndCatchAllMetricsAreInMetrics() throws Exception {
        RcptGuardAdmin admin = new RcptGuardAdmin(james);
        verified(admin, "v779@example.org");
        admin.get("/rcptguard/recipients/v779@example.org");

        String text = admin.get("/metrics").body;
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_cache_hits_total")).isGreaterThanOrEqualTo(1);
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_cache_misses_total")).isGreaterThanOrEqualTo(1);
        // catchall.example's backend is found accepting anything by the probe at start-up at the latest.
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_catchall_detections_total")).isGreaterThanOrEqualTo(1);
        assertThat(WebAdminClient.metric(text, "rcptguard_directory_catchall_domains")).isEqualTo(1);
    }

    /** The route's answer for {@code address}, asked again while a busy machine makes the lookup time out. */
    private static JsonNode verified(RcptGuardAdmin admin, String address) throws InterruptedException {
        JsonNode answer = admin.get("/rcptguard/recipients/" + address).json();
        for (int attempt = 0; attempt < 5 && answer.get("reason").asText().equals("timeout"); attempt++) {
            Thread.sleep(300);
            answer = admin.get("/rcptguard/recipients/" + address).json();
        }
        return answer;
    }

    @Test
    void smtpVerificationNeverSendsData() throws Exception {
        rcpt("127.0.43.2", freshSender(), "v900@example.org");
        // A first contact's look-up runs in the background.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(backend.commands()).contains("MAIL FROM:<>").contains("RCPT TO:<v900@example.org>"));
        assertThat(backend.commands()).noneMatch(command -> command.toUpperCase().startsWith("DATA"));
    }

    /**
     * No oracle before greylisting. Valid recipients are fresh addresses of the slow backend (200 ms, uncached); unknown
     * ones were looked up before (cached INVALID, answered at once). Were the reply to wait for the look-up their reply
     * times would differ by the backend's 200 ms (see UnpassedReplyTimingTest's control); it waits for none, so they
     * must not separate, and both come sooner than the backend could answer.
     */
    @Test
    @Order(50)
    void theReplyTimeOfAnUnpassedRcptDoesNotTellValidFromUnknown() throws Exception {
        int each = 20;
        for (int i = 0; i < each; i++) {
            rcpt("127.0.44.2", freshSender(), "i" + i + "@example.org");
        }
        List<Long> valid = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.45.2", freshSender())) {
            for (int i = 0; i < each; i++) {
                long start = System.nanoTime();
                Reply validReply = client.rcptTo("v" + i + "@example.org");
                valid.add((System.nanoTime() - start) / 1_000_000);
                start = System.nanoTime();
                Reply unknownReply = client.rcptTo("i" + i + "@example.org");
                unknown.add((System.nanoTime() - start) / 1_000_000);
                // A lookup that times out on a busy machine is undecided: the same deferral too.
                assertThat(validReply.asString()).isEqualTo(DEFERRAL);
                assertThat(unknownReply.asString()).isEqualTo(DEFERRAL);
            }
            client.quit();
        }
        String validDistribution = distribution(valid);
        String unknownDistribution = distribution(unknown);
        System.out.println("RCPT reply times, untrusted unpassed, backend 200 ms per RCPT:");
        System.out.println("  valid (uncached: the backend is asked): " + validDistribution);
        System.out.println("  unknown (cached negative answer):       " + unknownDistribution);
        assertThat(percentile(valid, 50)).as("no reply waits for the 200 ms backend").isLessThan(150);
        assertThat(percentile(unknown, 50)).isLessThan(150);
        // A reply that waited would differ by the backend's 200 ms: 50 ms of tolerance is robust to a busy machine.
        assertThat(Math.abs(percentile(valid, 50) - percentile(unknown, 50)))
            .as("medians of valid %s and unknown %s", validDistribution, unknownDistribution).isLessThanOrEqualTo(50);
        assertThat(Math.abs(percentile(valid, 25) - percentile(unknown, 25))).isLessThanOrEqualTo(50);
    }

    /**
     * A dead backend (accepts connections, never answers) and 40 concurrent sessions whose triplets have passed (so
     * the lookup itself is on trial): every RCPT of its domain gets 451 4.3.0 within a bounded time, at
     * most twice directory.max.concurrent lookup threads exist, and a hosted domain's RCPT is still answered promptly
     * meanwhile.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aDeadBackendDoesNotStallTheServer() throws Exception {
        int sessions = 40;
        RcptGuardAdmin admin = new RcptGuardAdmin(james);
        ExecutorService clients = Executors.newFixedThreadPool(sessions);
        try {
            // First contact while the backend answers, then the retry passes; the answers cached are forgotten so
            // that the retries must ask the backend.
            List<Long> firstContacts = new ArrayList<>();
            for (TimedReply first : concurrently(clients, sessions, this::deadBackendRcpt)) {
                assertThat(first.reply.asString()).isEqualTo(DEFERRAL);
                firstContacts.add(first.millis);
            }
            System.out.println("Backend up, " + sessions + " concurrent first contacts: " + distribution(firstContacts));
            // Their look-ups run in the background (2 at a time, 200 ms each): done before their answers are forgotten.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.util.stream.IntStream
                .range(0, sessions).allMatch(n -> backend.commands().contains("RCPT TO:<w" + n + "@example.org>")));
            Thread.sleep(2_300);
            for (int n = 0; n < sessions; n++) {
                assertThat(admin.delete("/rcptguard/verifications/w" + n + "@example.org").status).isIn(204, 404);
            }
            backend.hang(true);

            List<Future<TimedReply>> results = submit(clients, sessions, this::deadBackendRcpt);
            Thread.sleep(150);
            long hostedStart = System.nanoTime();
            Reply hosted = rcpt("127.0.47.2", freshSender(), "alice@example.com");
            long hostedMillis = (System.nanoTime() - hostedStart) / 1_000_000;
            int threads = lookupThreads();
            List<Long> times = new ArrayList<>();
            for (Future<TimedReply> result : results) {
                TimedReply retry = result.get(60, TimeUnit.SECONDS);
                assertThat(retry.reply.asString()).startsWith("451 4.3.0");
                times.add(retry.millis);
            }
            System.out.println("Dead backend, " + sessions + " concurrent sessions of passed triplets: RCPT replies "
                + distribution(times) + "; a hosted domain's RCPT meanwhile " + hostedMillis + " ms; rcptguard-directory threads "
                + threads);
            assertThat(hosted.asString()).isEqualTo(DEFERRAL);
            assertThat(hostedMillis).isLessThan(5_000);
            assertThat(Collections.max(times)).isLessThan(5_000);
            assertThat(threads).isLessThanOrEqualTo(8);
        } finally {
            clients.shutdownNow();
            backend.hang(false);
        }
    }

    /** Session {@code n} of the dead-backend test: one RCPT and how long its reply took. */
    private TimedReply deadBackendRcpt(int n) throws IOException {
        try (SmtpClient client = RcptGuardSmtpTest.Smtp.open(james, "127.0.46." + (2 + n), "<dead" + n + "@sender.example>")) {
            long start = System.nanoTime();
            Reply reply = client.rcptTo("w" + n + "@example.org");
            long millis = (System.nanoTime() - start) / 1_000_000;
            client.quit();
            return new TimedReply(reply, millis);
        }
    }

    private static final class TimedReply {
        final Reply reply;
        final long millis;

        TimedReply(Reply reply, long millis) {
            this.reply = reply;
            this.millis = millis;
        }
    }

    private interface Session {
        TimedReply run(int n) throws Exception;
    }

    private static List<Future<TimedReply>> submit(ExecutorService clients, int sessions, Session session) {
        List<Future<TimedReply>> results = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            int n = i;
            results.add(clients.submit(() -> session.run(n)));
        }
        return results;
    }

    private static List<TimedReply> concurrently(ExecutorService clients, int sessions, Session session) throws Exception {
        List<TimedReply> replies = new ArrayList<>();
        for (Future<TimedReply> result : submit(clients, sessions, session)) {
            replies.add(result.get(60, TimeUnit.SECONDS));
        }
        return replies;
    }

    private int lookupThreads() throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(james.pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return (int) dump.lines().filter(line -> line.startsWith("\"rcptguard-directory-")).count();
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    private static String distribution(List<Long> values) {
        return String.format("n=%d min=%d p10=%d p25=%d p50=%d p75=%d p90=%d max=%d ms", values.size(), Collections.min(values),
            percentile(values, 10), percentile(values, 25), percentile(values, 50), percentile(values, 75),
            percentile(values, 90), Collections.max(values));
    }
}
