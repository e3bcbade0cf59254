package org.rcptguard.core.content;

import java.util.Optional;

/** What asking one scanner gave: a verdict, a failure, or nothing because the message is over the scanner's size limit. */
public final class ScanOutcome {
    public enum Kind { VERDICT, FAILED, OVERSIZE }

    private final Kind kind;
    private final Optional<Verdict> verdict;
    private final String failure;

    private ScanOutcome(Kind kind, Optional<Verdict> verdict, String failure) {
        this.kind = kind;
        this.verdict = verdict;
        this.failure = failure;
    }

    public static ScanOutcome of(Verdict verdict) {
        return new ScanOutcome(Kind.VERDICT, Optional.of(verdict), "");
    }

    public static ScanOutcome failed(String why) {
        return new ScanOutcome(Kind.FAILED, Optional.empty(), why);
    }

    public static ScanOutcome oversize() {
        return new ScanOutcome(Kind.OVERSIZE, Optional.empty(), "");
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Verdict> verdict() {
        return verdict;
    }

    /** The log and metric label: the verdict's action, {@code failure} or {@code oversize}. */
    public String label() {
        return verdict.map(v -> v.action().label()).orElse(kind == Kind.FAILED ? "failure" : "oversize");
    }

    @Override
    public String toString() {
        return verdict.map(Verdict::toString).orElse(kind == Kind.FAILED ? "failure (" + failure + ")" : "oversize, not scanned");
    }
}
