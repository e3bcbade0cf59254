package org.rcptguard.core;

/** Told of every penalty an unknown recipient imposed or raised, whether found at RCPT or by a background look-up. */
@FunctionalInterface
public interface PenaltyListener {
    PenaltyListener NONE = (request, penalised, penalty) -> { };

    /**
     * @param penalised what the penalty is on: the client network, or the identity the client proved
     *                  ({@link ClientNetwork#provenBy}); one call for each when both are penalised
     */
    void penalised(RcptRequest request, ClientNetwork penalised, Penalty penalty);
}
