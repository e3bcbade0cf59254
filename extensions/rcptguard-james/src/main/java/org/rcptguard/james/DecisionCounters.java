package org.rcptguard.james;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.rcptguard.core.Decision;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;

/**
 * What this node decided since it started, for {@code GET /rcptguard/counters}: RCPT decisions by outcome and by
 * reason, penalties imposed or raised, transactions rejected after DATA. In observe mode these are the decisions
 * RcptGuard would have applied. (Across the cluster: sum the nodes, or use /metrics.)
 */
@Singleton
public class DecisionCounters {
    private final RcptGuardNode node;
    private final Map<Outcome, LongAdder> byOutcome = new EnumMap<>(Outcome.class);
    private final Map<Reason, LongAdder> byReason = new EnumMap<>(Reason.class);
    private final LongAdder penalties = new LongAdder();
    private final LongAdder dataRejections = new LongAdder();

    @Inject
    public DecisionCounters(RcptGuardNode node) {
        this.node = node;
        for (Outcome outcome : Outcome.values()) {
            byOutcome.put(outcome, new LongAdder());
        }
        for (Reason reason : Reason.values()) {
            byReason.put(reason, new LongAdder());
        }
    }

    public void record(Decision decision) {
        byOutcome.get(decision.outcome()).increment();
        byReason.get(decision.reason()).increment();
    }

    public void recordPenalty() {
        penalties.increment();
    }

    public void recordDataRejection() {
        dataRejections.increment();
    }

    public Snapshot snapshot() {
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        byOutcome.forEach((outcome, count) -> outcomes.put(outcome, count.sum()));
        Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
        byReason.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new Snapshot(node, outcomes, reasons, penalties.sum(), dataRejections.sum());
    }

    /** The counters at one instant. */
    public static final class Snapshot {
        private final RcptGuardNode node;
        private final Map<Outcome, Long> byOutcome;
        private final Map<Reason, Long> byReason;
        private final long penalties;
        private final long dataRejections;

        Snapshot(RcptGuardNode node, Map<Outcome, Long> byOutcome, Map<Reason, Long> byReason, long penalties, long dataRejections) {
            this.node = node;
            this.byOutcome = byOutcome;
            this.byReason = byReason;
            this.penalties = penalties;
            this.dataRejections = dataRejections;
        }

        public RcptGuardNode node() {
            return node;
        }

        public Map<Outcome, Long> byOutcome() {
            return byOutcome;
        }

        public Map<Reason, Long> byReason() {
            return byReason;
        }

        /** Every RCPT decided. */
        public long decisions() {
            return byOutcome.values().stream().mapToLong(Long::longValue).sum();
        }

        /** 4xx: greylisted, penalised, mixed recipients, recipient limit, and temporary failures. */
        public long deferred() {
            return byOutcome.get(Outcome.DEFER) + byOutcome.get(Outcome.DEFER_RECIPIENT_LIMIT) + byOutcome.get(Outcome.TEMPORARY_FAILURE);
        }

        /** Passed triplets of valid recipients, accepted. */
        public long passed() {
            return byReason.get(Reason.PASSED);
        }

        /** Not greylisted: authenticated, relay-allowed, whitelisted, auto-whitelisted. */
        public long trusted() {
            return byReason.get(Reason.AUTHENTICATED) + byReason.get(Reason.RELAY_ALLOWED) + byReason.get(Reason.WHITELISTED_CLIENT)
                + byReason.get(Reason.WHITELISTED_SENDER) + byReason.get(Reason.RECIPIENT_OPT_OUT) + byReason.get(Reason.AUTO_WHITELISTED);
        }

        /** Unknown users refused: 550 at RCPT, plus transactions refused after DATA (reject mode data). */
        public long rejected() {
            return byOutcome.get(Outcome.REJECT_UNKNOWN_USER) + dataRejections;
        }

        /** Penalties imposed or raised (scans detected). */
        public long penalised() {
            return penalties;
        }

        /** RCPTs deferred because their network was penalised. */
        public long deferredWhilePenalised() {
            return byReason.get(Reason.PENALISED);
        }

        public long dataRejections() {
            return dataRejections;
        }
    }
}
