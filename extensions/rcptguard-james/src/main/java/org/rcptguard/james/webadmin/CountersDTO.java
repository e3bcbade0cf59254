package org.rcptguard.james.webadmin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rcptguard.core.RcptGuardMode;
import org.rcptguard.james.DecisionCounters;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** This node's decisions since it started: totals by what the client heard, then by outcome and by reason. */
@JsonPropertyOrder({"node", "mode", "since", "decisions", "deferred", "passed", "trusted", "rejected", "penalised",
    "deferredWhilePenalised", "rejectedAfterData", "byOutcome", "byReason"})
public class CountersDTO {
    private final DecisionCounters.Snapshot snapshot;
    private final String mode;

    CountersDTO(DecisionCounters.Snapshot snapshot, RcptGuardMode mode) {
        this.snapshot = snapshot;
        this.mode = mode.settingValue();
    }

    public String getNode() {
        return snapshot.node().name();
    }

    public String getMode() {
        return mode;
    }

    public Instant getSince() {
        return snapshot.node().startedAt();
    }

    public long getDecisions() {
        return snapshot.decisions();
    }

    public long getDeferred() {
        return snapshot.deferred();
    }

    public long getPassed() {
        return snapshot.passed();
    }

    public long getTrusted() {
        return snapshot.trusted();
    }

    public long getRejected() {
        return snapshot.rejected();
    }

    public long getPenalised() {
        return snapshot.penalised();
    }

    public long getDeferredWhilePenalised() {
        return snapshot.deferredWhilePenalised();
    }

    public long getRejectedAfterData() {
        return snapshot.dataRejections();
    }

    public Map<String, Long> getByOutcome() {
        return byName(snapshot.byOutcome());
    }

    public Map<String, Long> getByReason() {
        return byName(snapshot.byReason());
    }

    private static Map<String, Long> byName(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> byName = new LinkedHashMap<>();
        counts.forEach((key, count) -> byName.put(key.name(), count));
        return byName;
    }
}
