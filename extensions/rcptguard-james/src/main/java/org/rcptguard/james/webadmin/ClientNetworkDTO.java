package org.rcptguard.james.webadmin;

import java.util.Optional;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RcptGuardConfiguration;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A client network as WebAdmin shows it: its reputation and auto-whitelisting, its scan count and its penalty. */
@JsonPropertyOrder({"network", "passedTriplets", "autoWhitelistPasses", "autoWhitelisted", "unknownRecipients",
    "scanThreshold", "scanWindow", "penalised", "penalty"})
public class ClientNetworkDTO {
    private final String network;
    private final int passedTriplets;
    private final int autoWhitelistPasses;
    private final boolean autoWhitelisted;
    private final int unknownRecipients;
    private final int scanThreshold;
    private final String scanWindow;
    private final Optional<PenaltyDTO> penalty;

    ClientNetworkDTO(ClientNetwork network, ClientNetworkState state, RcptGuardConfiguration configuration,
                     int unknownRecipients, Optional<PenaltyDTO> penalty) {
        this.network = network.asString();
        this.passedTriplets = state.passedTriplets();
        this.autoWhitelistPasses = configuration.autoWhitelistPasses();
        this.autoWhitelisted = state.isAutoWhitelisted(configuration.autoWhitelistPasses());
        this.unknownRecipients = unknownRecipients;
        this.scanThreshold = configuration.scanThreshold();
        this.scanWindow = RcptGuardSettings.format(configuration.scanWindow());
        this.penalty = penalty;
    }

    public String getNetwork() {
        return network;
    }

    public int getPassedTriplets() {
        return passedTriplets;
    }

    public int getAutoWhitelistPasses() {
        return autoWhitelistPasses;
    }

    public boolean isAutoWhitelisted() {
        return autoWhitelisted;
    }

    public int getUnknownRecipients() {
        return unknownRecipients;
    }

    public int getScanThreshold() {
        return scanThreshold;
    }

    public String getScanWindow() {
        return scanWindow;
    }

    public boolean isPenalised() {
        return penalty.isPresent();
    }

    /** The running penalty; null without one. */
    public Optional<PenaltyDTO> getPenalty() {
        return penalty;
    }
}
