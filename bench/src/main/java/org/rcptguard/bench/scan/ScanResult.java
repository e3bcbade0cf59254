package org.rcptguard.bench.scan;

import java.time.Duration;
import java.util.Optional;

/** What a scanner learned and what it cost. */
public final class ScanResult {
    private final Strategy strategy;
    private final int candidates;
    private final int validCandidates;
    private final int learnedValid;
    private final int learnedInvalid;
    private final int wrong;
    private final long sessions;
    private final long commands;
    private final long brokenSessions;
    private final Duration elapsed;
    private final Duration firstValidFound;

    ScanResult(Strategy strategy, int candidates, int validCandidates, int learnedValid, int learnedInvalid, int wrong,
               long sessions, long commands, long brokenSessions, Duration elapsed, Optional<Duration> firstValidFound) {
        this.strategy = strategy;
        this.candidates = candidates;
        this.validCandidates = validCandidates;
        this.learnedValid = learnedValid;
        this.learnedInvalid = learnedInvalid;
        this.wrong = wrong;
        this.sessions = sessions;
        this.commands = commands;
        this.brokenSessions = brokenSessions;
        this.elapsed = elapsed;
        this.firstValidFound = firstValidFound.orElse(null);
    }

    /** How long into the scan the first valid address was learned; empty if none was. */
    public Optional<Duration> firstValidFound() {
        return Optional.ofNullable(firstValidFound);
    }

    public Strategy strategy() {
        return strategy;
    }

    /** Addresses correctly classified, valid or invalid. */
    public int classified() {
        return learnedValid + learnedInvalid;
    }

    public int learnedValid() {
        return learnedValid;
    }

    public int learnedInvalid() {
        return learnedInvalid;
    }

    /** Addresses the scanner classified wrongly (a valid one taken for invalid or the reverse). */
    public int wrong() {
        return wrong;
    }

    public int candidates() {
        return candidates;
    }

    public int validCandidates() {
        return validCandidates;
    }

    public long sessions() {
        return sessions;
    }

    public long commands() {
        return commands;
    }

    public long brokenSessions() {
        return brokenSessions;
    }

    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Addresses classified per source network per scan window: the classified addresses over the networks used and
     * over the number of windows the scan lasted (at least one: a scan shorter than a window had one).
     */
    public double classifiedPerNetworkPerWindow(Duration scanWindow) {
        double windows = Math.max(1.0, (double) elapsed.toMillis() / scanWindow.toMillis());
        return classified() / (double) strategy.networks() / windows;
    }

    @Override
    public String toString() {
        return String.format("%s: %d/%d classified (%d of %d valid, %d invalid), %d wrong, %d sessions, %d commands, "
                + "%d broken, %.1f s, first valid found %s", strategy.label(), classified(), candidates, learnedValid, validCandidates,
            learnedInvalid, wrong, sessions, commands, brokenSessions, elapsed.toMillis() / 1000.0, firstValidFound()
                .map(found -> String.format("after %.1f s", found.toMillis() / 1000.0)).orElse("never"));
    }
}
