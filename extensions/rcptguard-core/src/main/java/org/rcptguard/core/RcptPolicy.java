package org.rcptguard.core;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision at RCPT, in the order of DESIGN.md: trusted or not governed → decline; look the recipient up;
 * penalised → defer; triplet not passed → defer; class change in the transaction → defer; then VALID → decline
 * (James accepts), INVALID → 550 5.1.1 at RCPT or after DATA. Any failure is a temporary failure, never a 5xx
 * and never an acceptance.
 */
public final class RcptPolicy {
    private static final Logger LOGGER = LoggerFactory.getLogger(RcptPolicy.class);

    private final RecipientDirectory directory;
    private final ClientNetworkStore clientNetworks;
    private final Greylist greylist;
    private final ScanDetector scanDetector;
    private final MixedRecipientRule mixedRecipientRule;
    private final RcptGuardConfiguration configuration;
    private final Clock clock;

    public RcptPolicy(RecipientDirectory directory, ClientNetworkStore clientNetworks, Greylist greylist,
                      ScanDetector scanDetector, RcptGuardConfiguration configuration, Clock clock) {
        this.directory = directory;
        this.clientNetworks = clientNetworks;
        this.greylist = greylist;
        this.scanDetector = scanDetector;
        this.mixedRecipientRule = new MixedRecipientRule(configuration.mixedMode());
        this.configuration = configuration;
        this.clock = clock;
    }

    /** The policy on one deployment's stores. */
    public static RcptPolicy create(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration,
                                    Clock clock) {
        ClientNetworkStore clientNetworks = stores.clientNetworkStore();
        return new RcptPolicy(directory, clientNetworks,
            new Greylist(stores.tripletStore(), clientNetworks, clock, configuration),
            new ScanDetector(stores.unknownRecipientStore(), clientNetworks, clock, configuration),
            configuration, clock);
    }

    public Decision decide(RcptRequest request, TransactionState transaction) {
        Optional<Reason> trusted;
        try {
            trusted = trustedOrNotGoverned(request);
        } catch (Exception e) {
            LOGGER.warn("RcptGuard could not tell whether {} is governed here: deferring", request.recipient(), e);
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.DIRECTORY_FAILURE, null, transaction);
        }
        if (trusted.isPresent()) {
            return new Decision(Outcome.DECLINE, trusted.get(), null, transaction);
        }
        TransactionState named = transaction.named();
        if (mixedRecipientRule.limitsRecipients(named)) {
            return new Decision(Outcome.DEFER_RECIPIENT_LIMIT, Reason.RECIPIENT_LIMIT, null, named);
        }
        try {
            return decideUntrusted(request, named);
        } catch (RuntimeException e) {
            // CompletionException included: a failed read of the greylist.
            LOGGER.warn("RcptGuard store failed while deciding {}: deferring", request.recipient(), e);
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.STORE_FAILURE, null, named);
        }
    }

    private Optional<Reason> trustedOrNotGoverned(RcptRequest request) throws Exception {
        if (!directory.governs(request.recipientDomain())) {
            return Optional.of(Reason.NOT_GOVERNED);
        }
        if (request.authenticated()) {
            return Optional.of(Reason.AUTHENTICATED);
        }
        if (request.relayAllowed()) {
            return Optional.of(Reason.RELAY_ALLOWED);
        }
        return configuration.whitelist().match(request.clientAddress(),
            SenderNormaliser.normalise(request.sender()), request.recipientKey());
    }

    private Decision decideUntrusted(RcptRequest request, TransactionState transaction) {
        ClientNetwork clientNetwork = configuration.clientNetworkOf(request.clientAddress());
        Triplet triplet = new Triplet(clientNetwork, SenderNormaliser.normalise(request.sender()), request.recipientKey());
        // Both reads in flight at once: one round trip to the store.
        CompletableFuture<Optional<TripletRecord>> tripletRecord = greylist.lookUp(triplet);
        ClientNetworkState state = clientNetworks.load(clientNetwork);
        if (configuration.autoWhitelistPasses() > 0 && state.passedTriplets() >= configuration.autoWhitelistPasses()) {
            return new Decision(Outcome.DECLINE, Reason.AUTO_WHITELISTED, null, transaction);
        }
        RecipientClass recipientClass = classify(request);
        if (recipientClass == RecipientClass.UNDECIDED) {
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.DIRECTORY_FAILURE, recipientClass, transaction);
        }
        Optional<Penalty> penalty = state.penalty().filter(current -> current.isActiveAt(clock.instant()));
        if (recipientClass == RecipientClass.INVALID) {
            scanDetector.unknownRecipient(clientNetwork, request.recipientKey(), penalty);
        }
        if (penalty.isPresent()) {
            return new Decision(Outcome.DEFER, Reason.PENALISED, recipientClass, transaction);
        }
        if (!greylist.attempt(triplet, tripletRecord)) {
            return new Decision(Outcome.DEFER, Reason.GREYLISTED, recipientClass, transaction);
        }
        if (mixedRecipientRule.defers(transaction, recipientClass)) {
            return new Decision(Outcome.DEFER, Reason.MIXED_RECIPIENTS, recipientClass, mixedRecipientRule.afterDeferral(transaction));
        }
        if (recipientClass == RecipientClass.VALID) {
            return new Decision(Outcome.DECLINE, Reason.PASSED, recipientClass, transaction.withClass(recipientClass).accepted());
        }
        if (configuration.rejectMode() == RejectMode.DATA) {
            return new Decision(Outcome.ACCEPT_FOR_DATA_REJECTION, Reason.UNKNOWN_USER, recipientClass,
                transaction.withClass(recipientClass).accepted());
        }
        // Rejected, not accepted: the transaction's class is still that of what it accepted.
        return new Decision(Outcome.REJECT_UNKNOWN_USER, Reason.UNKNOWN_USER, recipientClass, transaction);
    }

    private RecipientClass classify(RcptRequest request) {
        try {
            return directory.classify(request.recipient());
        } catch (Exception e) {
            LOGGER.warn("RcptGuard directory lookup of {} failed: deferring", request.recipient(), e);
            return RecipientClass.UNDECIDED;
        }
    }
}
