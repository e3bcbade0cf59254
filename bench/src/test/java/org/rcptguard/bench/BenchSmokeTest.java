package org.rcptguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.bench.scan.ScanResult;
import org.rcptguard.bench.scan.Scanner;
import org.rcptguard.bench.scan.ScanSimulation;
import org.rcptguard.bench.scan.Strategy;
import org.rcptguard.bench.server.BenchTarget;
import org.rcptguard.bench.server.Targets;
import org.rcptguard.bench.smtp.LoadGenerator;
import org.rcptguard.bench.smtp.LoadResult;
import org.rcptguard.bench.smtp.Scenario;
import org.rcptguard.bench.smtp.TrafficModel;
import org.rcptguard.launcher.Dnsmasq;

/**
 * The short run CI makes of the benchmark tools: the load generator and the scanner against a real stock James and a
 * real James with RcptGuard (memory store), each scenario for a second, checking that each does what it is named for.
 * It proves the tools work; it measures nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchSmokeTest {
    private static final Duration RUN = Duration.ofSeconds(1);
    private static final Duration DELAY = Duration.ofSeconds(1);

    private final TrafficModel model = new TrafficModel("example.com", 20, 2, 2);
    private Targets targets;
    private BenchTarget stock;
    private BenchTarget rcptGuard;

    @BeforeAll
    void startServers() throws Exception {
        Path workDir = Paths.get(System.getProperty("rcptguard.it.work.dir", "target/james-homes"));
        targets = new Targets(workDir, model.domain(), model.validRecipients(),
            Map.of("greylist.delay", "1s", "scan.threshold", "10", "scan.window", "1h"), List.of(), model.spfRecords());
        stock = targets.start("james-stock");
        rcptGuard = targets.start("rcptguard-memory");
    }

    @AfterAll
    void stopServers() {
        if (targets != null) {
            targets.close();
        }
    }

    private LoadGenerator generator(BenchTarget target) {
        return new LoadGenerator("127.0.0.1", target.smtpPort(), model, 4, 3);
    }

    @Test
    void afterTheWarmUpTheSteadyStateIsAcceptedWithMessages() throws Exception {
        assertThat(generator(rcptGuard).warmUp(DELAY)).as("recipients not accepted after the warm-up").isZero();

        LoadResult steady = generator(rcptGuard).run(Scenario.STEADY, RUN, 1);

        assertThat(steady.accepted()).isPositive();
        assertThat(steady.deferred()).isZero();
        assertThat(steady.rejected()).isZero();
        assertThat(steady.messages()).isPositive();
        assertThat(steady.errors()).isZero();
        assertThat(steady.p50Millis()).isPositive().isLessThanOrEqualTo(steady.p99Millis());
    }

    @Test
    void theSpfTargetAsksItsOwnDnsServerAndPassesTheWarmedUpSteadyState() throws Exception {
        assumeTrue(Dnsmasq.installed(), "dnsmasq (Debian's dnsmasq-base) is not installed");
        assumeTrue(Dnsmasq.canBindDnsPort(), "port 53 cannot be bound (not root)");
        BenchTarget spf = targets.start("rcptguard-memory-spf");

        assertThat(generator(spf).warmUp(DELAY)).as("recipients not accepted after the warm-up").isZero();
        double afterWarmUp = spf.dnsQueries().orElseThrow();
        LoadResult steady = generator(spf).run(Scenario.STEADY, RUN, 4);
        LoadResult firstContact = generator(spf).run(Scenario.FIRST_CONTACT, RUN, 5);

        assertThat(afterWarmUp).as("the sender domains' TXT records, asked during the warm-up").isPositive();
        assertThat(steady.accepted()).isPositive().isEqualTo(steady.rcptDecisions());
        assertThat(steady.errors()).isZero();
        assertThat(firstContact.deferred()).isPositive().isEqualTo(firstContact.rcptDecisions());
        assertThat(spf.dnsQueries().orElseThrow()).as("first contacts' domains, new to the cache")
            .isGreaterThan(afterWarmUp);
        assertThat(stock.dnsQueries()).isEmpty();
    }

    @Test
    void firstContactIsDeferredByRcptGuardAndAcceptedByStockJames() throws Exception {
        LoadResult guarded = generator(rcptGuard).run(Scenario.FIRST_CONTACT, RUN, 2);
        LoadResult unguarded = generator(stock).run(Scenario.FIRST_CONTACT, RUN, 2);

        assertThat(guarded.deferred()).isPositive().isEqualTo(guarded.rcptDecisions());
        assertThat(guarded.messages()).isZero();
        assertThat(unguarded.accepted()).isPositive().isEqualTo(unguarded.rcptDecisions());
        assertThat(unguarded.messages()).isPositive();
    }

    @Test
    void aScanIsRejectedByStockJamesAndDeferredByRcptGuard() throws Exception {
        LoadResult guarded = generator(rcptGuard).run(Scenario.SCAN, RUN, 3);
        LoadResult unguarded = generator(stock).run(Scenario.SCAN, RUN, 3);

        assertThat(guarded.rejected()).isZero();
        assertThat(guarded.deferred()).isPositive();
        assertThat(unguarded.rejected()).as("nine in ten unknown").isGreaterThan(unguarded.rcptDecisions() * 7 / 10);
    }

    @Test
    void theScannerLearnsTheWholeListFromStockJamesAndNothingFromRcptGuardInOnePass() throws Exception {
        List<String> valid = model.validRecipients();
        List<String> candidates = ScanSimulation.candidates(Strategy.SINGLE_PASS, valid, 100);

        ScanResult unguarded = new Scanner("127.0.0.1", stock.smtpPort(), Strategy.SINGLE_PASS, 200, candidates,
            new HashSet<>(valid), DELAY, Duration.ofHours(1)).run(Duration.ofSeconds(30));
        ScanResult guarded = new Scanner("127.0.0.1", rcptGuard.smtpPort(), Strategy.SINGLE_PASS, 201, candidates,
            new HashSet<>(valid), DELAY, Duration.ofHours(1)).run(Duration.ofSeconds(30));

        assertThat(unguarded.classified()).isEqualTo(100);
        assertThat(unguarded.learnedValid()).isEqualTo(valid.size());
        assertThat(unguarded.wrong()).isZero();
        assertThat(guarded.classified()).isZero();
        assertThat(guarded.sessions()).isPositive();
    }

    @Test
    void theInformedScannerLearnsNoMoreThanTheThresholdInAWindow() throws Exception {
        List<String> valid = model.validRecipients();
        List<String> candidates = ScanSimulation.candidates(Strategy.BELOW_THRESHOLD, valid, 100);

        ScanResult result = new Scanner("127.0.0.1", rcptGuard.smtpPort(), Strategy.BELOW_THRESHOLD, 202, candidates,
            new HashSet<>(valid), Duration.ofMillis(1500), Duration.ofHours(1)).run(Duration.ofSeconds(8));

        assertThat(result.classified()).as(result.toString()).isEqualTo(10);
        assertThat(result.wrong()).isZero();
    }
}
