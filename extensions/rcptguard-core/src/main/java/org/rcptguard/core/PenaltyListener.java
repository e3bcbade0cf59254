package org.rcptguard.core;

/** Told of every penalty an unknown recipient imposed or raised, whether found at RCPT or by a background look-up. */
@FunctionalInterface
public interface PenaltyListener {
    PenaltyListener NONE = (request, penalty) -> { };

    void penalised(RcptRequest request, Penalty penalty);
}
