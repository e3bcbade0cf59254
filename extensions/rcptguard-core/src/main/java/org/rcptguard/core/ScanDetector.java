package org.rcptguard.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.UnknownRecipientStore;

/**
 * Scan-detection backoff. A client network naming more than {@code threshold} distinct unknown recipients within
 * {@code window} is penalised: level = distinct unknown recipients above the threshold, lasting
 * {@code delay × factor^level}, at most {@code scan.penalty.max}. Each further distinct unknown recipient raises
 * the level and extends the penalty; the same unknown recipient again counts once.
 */
public final class ScanDetector {
    private final UnknownRecipientStore unknownRecipients;
    private final ClientNetworkStore clientNetworks;
    private final Clock clock;
    private final int threshold;
    private final Duration window;
    private final Duration delay;
    private final int factor;
    private final Duration maxPenalty;

    public ScanDetector(UnknownRecipientStore unknownRecipients, ClientNetworkStore clientNetworks, Clock clock,
                        RcptGuardConfiguration configuration) {
        this.unknownRecipients = unknownRecipients;
        this.clientNetworks = clientNetworks;
        this.clock = clock;
        this.threshold = configuration.scanThreshold();
        this.window = configuration.scanWindow();
        this.delay = configuration.delay();
        this.factor = configuration.penaltyFactor();
        this.maxPenalty = configuration.penaltyMax();
    }

    /**
     * Counts an unknown recipient named by {@code clientNetwork}, penalising or escalating when it is a scan.
     *
     * @return the penalty imposed or raised by this recipient, if any
     */
    public Optional<Penalty> unknownRecipient(ClientNetwork clientNetwork, String recipient, Optional<Penalty> current) {
        return unknownRecipient(clientNetwork, recipient, current, threshold);
    }

    /**
     * As {@link #unknownRecipient(ClientNetwork, String, Optional)} with {@code threshold} instead of
     * {@code scan.threshold}: a network without reputation while the recipient's domain is under harvest.
     */
    public Optional<Penalty> unknownRecipient(ClientNetwork clientNetwork, String recipient, Optional<Penalty> current,
                                              int threshold) {
        int distinct = unknownRecipients.recordAndCount(clientNetwork, recipient, window);
        int level = distinct - threshold;
        if (level <= 0 || current.map(penalty -> penalty.level() >= level).orElse(false)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Penalty penalty = new Penalty(level, now.plus(penaltyDuration(level)));
        clientNetworks.penalise(clientNetwork, penalty);
        return Optional.of(penalty);
    }

    Duration penaltyDuration(int level) {
        Duration duration = delay;
        for (int i = 0; i < level && duration.compareTo(maxPenalty) < 0; i++) {
            duration = duration.multipliedBy(factor);
        }
        return duration.compareTo(maxPenalty) < 0 ? duration : maxPenalty;
    }
}
