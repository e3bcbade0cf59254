package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.SmtpClient;
import org.rcptguard.launcher.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;
import org.rcptguard.it.RcptGuardSmtpTest.Users;

/**
 * Ten thousand malformed and hostile SMTP sessions against a real James with RcptGuard (memory store), from many
 * client networks at once: over-long lines and addresses, quoted and non-ASCII local parts, source routes,
 * {@code a@b@c}, NUL and control bytes, pipelined garbage, RSET and EHLO inside a transaction, a thousand RCPTs in
 * one transaction, abrupt disconnects, VRFY and EXPN. None of them gets a recipient accepted (no triplet can pass
 * within the run); afterwards a clean session gets the right replies, RcptGuard logged no ERROR and nothing went
 * uncaught through it, and James's threads and heap after a full GC are back to their level before.
 *
 * <p>The memory store is capped at {@value #STORE_CAP} entries per table, so that the state RcptGuard legitimately
 * keeps is bounded: the warm-up's thousand-RCPT transactions fill the tables of triplets and unknown-recipient events
 * to the cap, and the table of client networks (a thousand after the warm-up, each session naming a /24 of its own)
 * reaches it during the run, a few hundred KiB. What grows beyond the tolerances is a leak.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    static final int SESSIONS = 10_000;
    static final int WARM_UP_SESSIONS = 1_000;
    static final int CLIENT_THREADS = 16;
    static final int STORE_CAP = 2_000;
    static final int RCPTS_IN_ONE_TRANSACTION = 1_000;
    static final String TRUSTED_NETWORK = "127.0.98.0/24";
    /**
     * Threads: James's 32 Netty I/O threads and RcptGuard's pools all exist after the warm-up (16 concurrent
     * clients, a thousand connections spread round-robin over the event loops). RcptGuard's own threads (named
     * {@code rcptguard-*}, the Cassandra driver's too) must be no more than before. James's elastic pools are left
     * out of the comparison: Reactor's {@code boundedElastic} (at most ten per core) and James's
     * {@code blocking-call-wrapper}, {@code spooler} and {@code jvm-path-locker} threads stay up to a minute idle and
     * come with the clean session's delivery (measured: 4 to 7 more of them after the run). Every other thread may
     * differ by 2 (the JIT's compiler threads come and go); a thread per session, or per hundred, would be hundreds.
     */
    static final int THREAD_TOLERANCE = 2;
    private static final Pattern JAMES_ELASTIC_POOL = Pattern.compile("(boundedElastic|blocking-call-wrapper|spooler|jvm-path-locker)-\\d+");
    /**
     * Heap after a full GC: the store is bounded by its cap (above), so what remains is caches that fill once
     * (JIT-compiled code is not heap; Netty's pooled buffers are off-heap by default). 16 MiB is 1.6 KiB per session
     * of the run: a leaked SMTP session (its channel, pipeline and session state) weighs more.
     */
    static final long HEAP_TOLERANCE_KIB = 16 * 1024;
    private static final Pattern LOG_LINE_START = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[");
    private static final String FORGED = "FORGED-LINE-MARKER";

    private JamesServerProcess james;

    @BeforeAll
    void startJames() {
        james = JamesServerProcess.builder()
            .confDir(JamesServerProcess.projectConfDir())
            .rcptguardProperties(storeSettings())
            .rcptguardProperty("whitelist.clients", TRUSTED_NETWORK)
            .localNamesOnly()
            .startTimeout(CassandraStoreSettings.JAMES_START_TIMEOUT)
            .start();
        Users.create(james.webAdmin());
    }

    Map<String, String> storeSettings() {
        return Map.of("store.memory.max.entries", Integer.toString(STORE_CAP));
    }

    int sessions() {
        return SESSIONS;
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void hostileSessionsLeaveRcptGuardAsTheyFoundIt() throws Exception {
        JvmGauges gauges = new JvmGauges(james.pid());
        storm(WARM_UP_SESSIONS, 1_000_000);
        Thread.sleep(2_000);
        List<String> threadsBefore = gauges.threads();
        long heapBefore = gauges.heapUsedAfterGcKib();
        int logOffset = james.log().length();

        long start = System.nanoTime();
        Storm storm = storm(sessions(), 0);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(storm.unanswered.get()).as("sessions that got no greeting").isZero();
        assertThat(storm.acceptedRcpts).as("RCPTs accepted though no triplet could pass").isEmpty();
        assertThat(storm.rcptReplies.sum()).as("RCPT replies read").isGreaterThan(sessions());

        assertThat(Smtp.transaction(james, "127.0.97.2", "<someone@sender.example>", "alice@example.com").get(0).asString())
            .as("an untrusted client's first attempt, after the storm").isEqualTo(RcptGuardSmtpTest.DEFERRAL);
        try (SmtpClient client = james.smtpFrom("127.0.98.2")) {
            assertThat(client.ehlo("clean.example").code()).isEqualTo(250);
            assertThat(client.mailFrom("<someone@sender.example>").code()).isEqualTo(250);
            assertThat(client.rcptTo("alice@example.com").code()).as("a trusted client's valid recipient").isEqualTo(250);
            assertThat(client.data(Smtp.message("after the storm")).code()).isEqualTo(250);
            assertThat(client.quit().code()).isEqualTo(221);
        }

        String log = james.log().substring(logOffset);
        assertThat(log.lines().filter(line -> line.contains("[ERROR]") && line.contains(" o.r.")))
            .as("RcptGuard's ERROR lines").isEmpty();
        assertThat(log.lines().filter(line -> line.contains("at org.rcptguard.")))
            .as("stack frames of RcptGuard: an exception went through it").isEmpty();
        // James takes a quoted CR or NUL in a local part (RFC 5321 quoted-pair) to RcptGuard: it must reach the log escaped.
        assertThat(log.lines().filter(line -> line.contains(FORGED)))
            .as("a line carrying client text is one log line, starting as every line does")
            .allSatisfy(line -> assertThat(LOG_LINE_START.matcher(line).find()).as(line).isTrue())
            .anySatisfy(line -> assertThat(line).contains("recipient=<\"x\\\\\\r" + FORGED + "\"@example.com>"))
            .anySatisfy(line -> assertThat(line).contains("recipient=<\"x\\\\\\u0000" + FORGED + "\"@example.com>"));

        List<String> threadsAfter = awaitThreadsAtMost(gauges, fixedThreads(threadsBefore) + THREAD_TOLERANCE, Duration.ofSeconds(90));
        List<String> added = new ArrayList<>(threadsAfter);
        threadsBefore.forEach(added::remove);
        long heapAfter = gauges.heapUsedAfterGcKib();
        String figures = String.format("%d sessions in %.1f s (%.0f sessions/s, %d client threads), %d RCPT replies,"
                + " %d sessions closed by the server; threads %d before, %d after (new: %s), outside James's elastic pools %d and %d; heap after GC %d KiB before, %d KiB after;"
                + " %d log lines with the forged-line marker; James's own ERROR lines: %d",
            sessions(), seconds, sessions() / seconds, CLIENT_THREADS, storm.rcptReplies.sum(), storm.closedByServer.get(),
            threadsBefore.size(), threadsAfter.size(), added, fixedThreads(threadsBefore), fixedThreads(threadsAfter), heapBefore, heapAfter,
            log.lines().filter(line -> line.contains(FORGED)).count(),
            log.lines().filter(line -> line.contains("[ERROR]")).count());
        System.out.println(getClass().getSimpleName() + ": " + figures);
        assertThat(fixedThreads(threadsAfter)).as(figures).isLessThanOrEqualTo(fixedThreads(threadsBefore) + THREAD_TOLERANCE);
        assertThat(rcptGuardThreads(threadsAfter)).as(figures).isLessThanOrEqualTo(rcptGuardThreads(threadsBefore));
        assertThat(heapAfter).as(figures).isLessThanOrEqualTo(heapBefore + HEAP_TOLERANCE_KIB);
    }

    /** The threads outside James's elastic pools. */
    private static long fixedThreads(List<String> threads) {
        return threads.stream().filter(name -> !JAMES_ELASTIC_POOL.matcher(name).matches()).count();
    }

    private static long rcptGuardThreads(List<String> threads) {
        return threads.stream().filter(name -> name.startsWith("rcptguard")).count();
    }

    private static List<String> awaitThreadsAtMost(JvmGauges gauges, long limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> threads = gauges.threads();
            if (fixedThreads(threads) <= limit || System.nanoTime() - deadline > 0) {
                return threads;
            }
            Thread.sleep(1_000);
        }
    }

    private Storm storm(int sessions, int firstIndex) throws Exception {
        Storm storm = new Storm();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < sessions; i = next.getAndIncrement()) {
                        storm.run(firstIndex + i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return storm;
    }

    /** One run of hostile sessions and what the server answered. */
    private final class Storm {
        final AtomicInteger unanswered = new AtomicInteger();
        final AtomicInteger closedByServer = new AtomicInteger();
        final LongAdder rcptReplies = new LongAdder();
        final List<String> acceptedRcpts = Collections.synchronizedList(new ArrayList<>());

        void run(int index) {
            String source = "127." + (100 + index % 100) + "." + (index / 100 % 250) + "." + (2 + index % 7);
            SmtpClient client = new SmtpClient();
            try {
                try {
                    client.connect("127.0.0.1", james.smtpPort(), source);
                } catch (IOException e) {
                    unanswered.incrementAndGet();
                    return;
                }
                Hostile.values()[index % Hostile.values().length].play(client, index, this);
            } catch (IOException e) {
                closedByServer.incrementAndGet();
            } finally {
                try {
                    client.close();
                } catch (IOException e) {
                    // already gone
                }
            }
        }

        Reply rcpt(SmtpClient client, String rawArgument) throws IOException {
            return checkRcpt(client.command("RCPT TO:" + rawArgument), rawArgument);
        }

        Reply checkRcpt(Reply reply, String argument) {
            rcptReplies.increment();
            if (reply.code() / 100 == 2) {
                acceptedRcpts.add(argument + " -> " + reply.asString());
            }
            return reply;
        }
    }

    /** The kinds of hostile session, played in turn. */
    private enum Hostile {
        OVER_LONG_LINES {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.command("EHLO " + "h".repeat(5_000) + ".example");
                client.command("HELO " + "x".repeat(20_000));
                client.command("MAIL FROM:<" + "s".repeat(3_000) + "@sender.example>");
                storm.rcpt(client, "<alice@example.com>");
                client.quit();
            }
        },
        OVER_LONG_ADDRESSES {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.mailFrom("<a" + index + "@sender.example>");
                storm.rcpt(client, "<" + "u".repeat(5_000) + "@example.com>");
                storm.rcpt(client, "<alice@" + "d".repeat(300) + ".example.com>");
                storm.rcpt(client, "<" + "v".repeat(65) + "@example.com>");
                client.quit();
            }
        },
        QUOTED_LOCAL_PARTS {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.mailFrom("<\"odd sender\"@sender.example>");
                storm.rcpt(client, "<\"john doe\"@example.com>");
                storm.rcpt(client, "<\"a\\\"b\"@example.com>");
                storm.rcpt(client, "<\"alice\"@example.com>");
                storm.rcpt(client, "<\"unterminated@example.com>");
                client.quit();
            }
        },
        NON_ASCII_LOCAL_PARTS {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.command("MAIL FROM:<jörg@sender.example> SMTPUTF8");
                storm.rcpt(client, "<jöhn@example.com>");
                storm.rcpt(client, "<用户" + index + "@example.com>");
                storm.rcpt(client, "<alice@exämple.com>");
                client.quit();
            }
        },
        SOURCE_ROUTES {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.mailFrom("<@relay.example:someone@sender.example>");
                storm.rcpt(client, "<@relay.example,@other.example:alice@example.com>");
                storm.rcpt(client, "<@example.com:nobody" + index + "@example.com>");
                storm.rcpt(client, "<@:alice@example.com>");
                client.quit();
            }
        },
        SEVERAL_AT_SIGNS {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.mailFrom("<a@b@sender.example>");
                client.mailFrom("<someone@sender.example>");
                storm.rcpt(client, "<a@b@example.com>");
                storm.rcpt(client, "<alice@example.com@example.com>");
                storm.rcpt(client, "<@@example.com>");
                storm.rcpt(client, "<alice@>");
                client.quit();
            }
        },
        NUL_AND_CONTROL_BYTES {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.sendBytes("MAIL FROM:<a\u0000b@sender.example>\r\n".getBytes(StandardCharsets.ISO_8859_1));
                client.readReply();
                client.mailFrom("<someone@sender.example>");
                for (String recipient : List.of("al\u0000ice", "\"x\\\r" + FORGED + "\"", "\"x\\\u0000" + FORGED + "\"",
                        "\"x\u001b[2J" + FORGED + "\"", "bob\u0007", "\"y\u0085" + FORGED + "\"")) {
                    client.sendBytes(("RCPT TO:<" + recipient + "@example.com>\r\n").getBytes(StandardCharsets.UTF_8));
                    storm.checkRcpt(client.readReply(), recipient);
                }
                client.sendBytes(("RCPT TO:<ali\rce@example.com>\r\n").getBytes(StandardCharsets.ISO_8859_1));
                storm.checkRcpt(client.readReply(), "a lone CR");
                client.quit();
            }
        },
        PIPELINED_GARBAGE {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                byte[] garbage = new byte[4_096];
                new Random(index).nextBytes(garbage);
                client.sendBytes(("EHLO client.example\r\nMAIL FROM:<g@sender.example>\r\nRCPT TO:<alice@example.com>\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                client.sendBytes(garbage);
                client.sendBytes("\r\nRCPT TO:<nobody@example.com>\r\nDATA\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                client.awaitServerClose(Duration.ofMillis(200));
            }
        },
        RESET_AND_EHLO_INSIDE_A_TRANSACTION {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.mailFrom("<someone@sender.example>");
                storm.rcpt(client, "<alice@example.com>");
                client.rset();
                storm.rcpt(client, "<nobody" + index + "@example.com>");
                client.mailFrom("<someone@sender.example>");
                storm.rcpt(client, "<nobody" + index + "@example.com>");
                client.ehlo("again.example");
                storm.rcpt(client, "<alice@example.com>");
                client.mailFrom("<other@sender.example>");
                client.mailFrom("<third@sender.example>");
                storm.rcpt(client, "<bob@example.com>");
                client.command("DATA");
                client.quit();
            }
        },
        VRFY_AND_EXPN {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.command("VRFY alice");
                client.command("VRFY <nobody" + index + "@example.com>");
                client.command("EXPN staff");
                client.command("VRFY " + "v".repeat(2_000));
                client.command("HELP");
                client.command("TURN");
                client.command("ETRN example.com");
                client.quit();
            }
        },
        ABRUPT_DISCONNECTS {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                client.mailFrom("<someone@sender.example>");
                switch (index % 3) {
                    case 0:
                        client.sendBytes("RCPT TO:<alice@exam".getBytes(StandardCharsets.US_ASCII));
                        client.abort();
                        break;
                    case 1:
                        client.send("RCPT TO:<nobody" + index + "@example.com>");
                        client.abort();
                        break;
                    default:
                        storm.rcpt(client, "<alice@example.com>");
                        client.close();
                }
            }
        },
        A_THOUSAND_RCPTS {
            @Override
            void play(SmtpClient client, int index, Storm storm) throws IOException {
                client.ehlo("client.example");
                if (index % 50 != 11) {
                    // One session in 300: 34 of the 10,000, each a thousand pipelined RCPTs in one transaction.
                    client.command("NOOP " + "garbage\u0001".repeat(10));
                    client.quit();
                    return;
                }
                client.mailFrom("<harvester@sender.example>");
                StringBuilder pipeline = new StringBuilder();
                for (int i = 0; i < RCPTS_IN_ONE_TRANSACTION; i++) {
                    pipeline.append("RCPT TO:<").append(i % 100 == 0 ? "alice" : "guess" + index + "-" + i)
                        .append("@example.com>\r\n");
                }
                client.sendBytes(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < RCPTS_IN_ONE_TRANSACTION; i++) {
                    storm.checkRcpt(client.readReply(), "pipelined RCPT " + i);
                }
                client.quit();
            }
        };

        abstract void play(SmtpClient client, int index, Storm storm) throws IOException;
    }
}
