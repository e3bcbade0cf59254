package org.rcptguard.core;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.james.core.MaybeSender;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision at RCPT, in the order of DESIGN.md: trusted or not governed → decline (an auto-whitelisted network's
 * unknown recipients still count for scan detection); look the recipient up (undecided → defer like any other
 * recipient until the triplet passed, then a temporary failure); penalised → defer; triplet not passed → defer;
 * class change in the transaction → defer; then VALID → decline (James accepts), INVALID → 550 5.1.1 at RCPT or
 * after DATA. Any failure is a temporary failure, never a 5xx and never an acceptance.
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
    /** Networks this node last found auto-whitelisted, or penalised: hints that save a read, never a decision. */
    private final NetworkHints autoWhitelistHints = new NetworkHints();
    private final NetworkHints penaltyHints = new NetworkHints();
    private final Supplier<Whitelist> sharedWhitelist;

    /** A policy with the static whitelists of the configuration only. */
    public RcptPolicy(RecipientDirectory directory, ClientNetworkStore clientNetworks, Greylist greylist,
                      ScanDetector scanDetector, RcptGuardConfiguration configuration, Clock clock) {
        this(directory, clientNetworks, greylist, scanDetector, configuration, clock, () -> Whitelist.EMPTY);
    }

    /**
     * @param sharedWhitelist the run-time whitelist, consulted with the configuration's: a snapshot in memory (see
     *                        {@link SharedWhitelist}), never a store read
     */
    public RcptPolicy(RecipientDirectory directory, ClientNetworkStore clientNetworks, Greylist greylist,
                      ScanDetector scanDetector, RcptGuardConfiguration configuration, Clock clock,
                      Supplier<Whitelist> sharedWhitelist) {
        this.sharedWhitelist = sharedWhitelist;
        this.directory = directory;
        this.clientNetworks = clientNetworks;
        this.greylist = greylist;
        this.scanDetector = scanDetector;
        this.mixedRecipientRule = new MixedRecipientRule(configuration.mixedMode());
        this.configuration = configuration;
        this.clock = clock;
    }

    /** The policy on one deployment's stores, with the configuration's static whitelists only. */
    public static RcptPolicy create(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration,
                                    Clock clock) {
        return create(directory, stores, configuration, clock, () -> Whitelist.EMPTY);
    }

    /** The policy on one deployment's stores, consulting {@code sharedWhitelist} with the static whitelists. */
    public static RcptPolicy create(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration,
                                    Clock clock, Supplier<Whitelist> sharedWhitelist) {
        ClientNetworkStore clientNetworks = stores.clientNetworkStore();
        return new RcptPolicy(directory, clientNetworks,
            new Greylist(stores.tripletStore(), clientNetworks, clock, configuration),
            new ScanDetector(stores.unknownRecipientStore(), clientNetworks, clock, configuration),
            configuration, clock, sharedWhitelist);
    }

    public Decision decide(RcptRequest request, TransactionState transaction) {
        // Normalised once: the whitelists and the triplet both need it.
        MaybeSender sender = SenderNormaliser.normalise(request.sender());
        Optional<Reason> trusted;
        try {
            trusted = trustedOrNotGoverned(request, sender);
        } catch (Exception e) {
            LOGGER.warn("RcptGuard could not tell whether {} is governed here: deferring", LogText.escape(request.recipient()), e);
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
            return decideUntrusted(request, sender, named);
        } catch (RuntimeException e) {
            // CompletionException included: a failed read of the greylist.
            LOGGER.warn("RcptGuard store failed while deciding {}: deferring", LogText.escape(request.recipient()), e);
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.STORE_FAILURE, null, named);
        }
    }

    private Optional<Reason> trustedOrNotGoverned(RcptRequest request, MaybeSender sender) throws Exception {
        if (!directory.governs(request.recipientDomain())) {
            return Optional.of(Reason.NOT_GOVERNED);
        }
        if (request.authenticated()) {
            return Optional.of(Reason.AUTHENTICATED);
        }
        if (request.relayAllowed()) {
            return Optional.of(Reason.RELAY_ALLOWED);
        }
        Optional<Reason> configured = configuration.whitelist().match(request.clientAddress(), sender, request.recipient());
        if (configured.isPresent()) {
            return configured;
        }
        return sharedWhitelist.get().match(request.clientAddress(), sender, request.recipient());
    }

    private Decision decideUntrusted(RcptRequest request, MaybeSender sender, TransactionState transaction) {
        ClientNetwork clientNetwork = configuration.clientNetworkOf(request.clientAddress());
        Triplet triplet = new Triplet(clientNetwork, SenderNormaliser.key(sender), request.recipientKey());
        // Both reads in flight at once: one round trip to the store. A network this node last saw auto-whitelisted
        // or penalised most likely still is: its greylist read would be wasted, so it waits for the network's read.
        boolean prefetch = !autoWhitelistHints.contains(clientNetwork) && !penaltyHints.contains(clientNetwork);
        CompletableFuture<Optional<TripletRecord>> prefetched = prefetch ? greylist.lookUp(triplet) : null;
        ClientNetworkState state = clientNetworks.load(clientNetwork);
        Optional<Penalty> penalty = state.penaltyActiveAt(clock.instant());
        penaltyHints.set(clientNetwork, penalty.isPresent());
        boolean autoWhitelisted = state.isAutoWhitelisted(configuration.autoWhitelistPasses());
        autoWhitelistHints.set(clientNetwork, autoWhitelisted);
        if (autoWhitelisted && penalty.isEmpty()) {
            return autoWhitelisted(clientNetwork, request, transaction);
        }
        // Penalised: the greylist is not consulted.
        CompletableFuture<Optional<TripletRecord>> tripletRecord = prefetch || penalty.isPresent() ? prefetched
            : greylist.lookUp(triplet);
        RecipientClass recipientClass = classify(request);
        Optional<Penalty> imposed = Optional.empty();
        if (recipientClass == RecipientClass.INVALID) {
            imposed = scanDetector.unknownRecipient(clientNetwork, request.recipientKey(), penalty);
        }
        if (penalty.isPresent()) {
            return new Decision(Outcome.DEFER, Reason.PENALISED, recipientClass, transaction).withImposedPenalty(imposed);
        }
        return afterPenaltyCheck(triplet, tripletRecord, recipientClass, transaction).withImposedPenalty(imposed);
    }

    /**
     * Auto-whitelisting spares a network greylisting, not scan detection (DESIGN.md, promise 5): James decides, but
     * the unknown recipients it names still count, and once penalised the network is deferred like any other. Else a
     * scanner could earn the auto-whitelist with a few valid addresses and then scan at James's speed.
     */
    private Decision autoWhitelisted(ClientNetwork clientNetwork, RcptRequest request, TransactionState transaction) {
        Optional<Penalty> imposed = classify(request) == RecipientClass.INVALID
            ? scanDetector.unknownRecipient(clientNetwork, request.recipientKey(), Optional.empty())
            : Optional.empty();
        return new Decision(Outcome.DECLINE, Reason.AUTO_WHITELISTED, null, transaction).withImposedPenalty(imposed);
    }

    private Decision afterPenaltyCheck(Triplet triplet, CompletableFuture<Optional<TripletRecord>> tripletRecord,
                                       RecipientClass recipientClass, TransactionState transaction) {
        if (!greylist.attempt(triplet, tripletRecord, recipientClass == RecipientClass.VALID)) {
            return new Decision(Outcome.DEFER, Reason.GREYLISTED, recipientClass, transaction);
        }
        if (recipientClass == RecipientClass.UNDECIDED) {
            // Only now, the triplet passed, may the reply differ from a valid or unknown recipient's (promise 3):
            // else a domain whose list answers while its backend is down would tell listed from unlisted addresses.
            // The attempt was recorded, so the retry can pass once the directory is back.
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.DIRECTORY_FAILURE, recipientClass, transaction);
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
            LOGGER.warn("RcptGuard directory lookup of {} failed: deferring", LogText.escape(request.recipient()), e);
            return RecipientClass.UNDECIDED;
        }
    }
}
