package org.rcptguard.james;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.protocols.smtp.SMTPSession;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.PenaltyListener;
import org.rcptguard.core.RcptRequest;

/**
 * Every decision, applied or only observed, and every penalty imposed, goes to the decision log, this node's counters
 * and the metrics.
 */
@Singleton
public class DecisionRecorder implements PenaltyListener {
    private final DecisionLog log;
    private final DecisionCounters counters;
    private final RcptGuardMetrics metrics;

    @Inject
    public DecisionRecorder(DecisionLog log, DecisionCounters counters, RcptGuardMetrics metrics) {
        this.log = log;
        this.counters = counters;
        this.metrics = metrics;
    }

    void record(SMTPSession session, RcptRequest request, Decision decision) {
        counters.record(decision);
        metrics.record(decision);
        log.log(session, request, decision);
    }

    @Override
    public void penalised(RcptRequest request, ClientNetwork penalised, Penalty penalty) {
        counters.recordPenalty();
        metrics.recordPenalty();
        log.logPenalty(request, penalised, penalty);
    }

    void recordDataRejection(SMTPSession session, int recipients) {
        counters.recordDataRejection();
        metrics.recordDataRejection();
        log.logDataRejection(session, recipients);
    }
}
