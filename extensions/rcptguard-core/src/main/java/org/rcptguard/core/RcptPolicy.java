package org.rcptguard.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.james.core.MaybeSender;
import org.rcptguard.core.Decision.Outcome;
import org.rcptguard.core.Decision.Reason;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.postgrey.PostgreyWhitelist;
import org.rcptguard.core.harvest.HarvestDetector;
import org.rcptguard.core.harvest.HarvestResponse;
import org.rcptguard.core.harvest.HarvestState;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.RcptGuardStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision at RCPT (docs/design.md, "The decision at RCPT"): not governed → not mine (James decides); trusted →
 * not mine, except a relayed domain's recipients (RcptGuard is their recipient check: accepted, refused or deferred)
 * and role accounts (accepted); an auto-whitelisted network's (or proven identity's) unknown recipients still count
 * for scan detection;
 * penalised → defer; triplet not passed → defer; only then look the recipient up (undecided → a temporary failure);
 * class change in the transaction → defer; then VALID → pass (James's own checks go on; accepted outright for a
 * relayed domain or a role account), INVALID → 550 5.1.1 at RCPT or after DATA. Any failure is a temporary failure,
 * never a 5xx and never an acceptance. Every reply the client hears is decided here ({@link Decision#reply()}).
 *
 * <p>A deferral before the triplet passed is the same reply whatever the recipient, so it waits on no directory
 * (docs/design.md, "No oracle before greylisting"): its look-up, which only feeds scan detection, goes to the
 * {@link BackgroundLookups}. The reply then takes the store's time alone, the same for every recipient, and a flood of
 * such RCPTs holds no SMTP thread on a slow directory.
 *
 * <p>While the recipient's domain is under harvest ({@link HarvestState}, this node's snapshot: no I/O), a network
 * without reputation gets the harvest's scan threshold and first-contact delay ({@link HarvestResponse};
 * docs/design.md, "Distributed harvests"). That moves when a triplet passes and when a network is penalised, never
 * what a reply reveals. Each unknown recipient counted from a client not penalised is also recorded as a probe of
 * its domain: one write.
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
    /** Recipients this node last found valid: spares an auto-whitelisted client's RCPT a look-up, never a decision. */
    private final RecipientHints recipientHints = new RecipientHints();
    private final Supplier<Whitelist> sharedWhitelist;
    private final BackgroundLookups background;
    private final PenaltyListener penaltyListener;
    private final Deployment deployment;
    private final HarvestState harvestState;
    private final HarvestResponse harvest;

    /**
     * @param sharedWhitelist the run-time whitelist, consulted with the configuration's: a snapshot in memory (see
     *                        {@link SharedWhitelist}), never a store read
     * @param background      where the look-ups no reply waits for run
     * @param penaltyListener told of every penalty an unknown recipient imposes, at RCPT or in the background
     * @param deployment      which domains James relays, whether the DATA-stage hook is loaded
     * @param harvestState    which domains are under harvest, refreshed in the background by the caller
     */
    public RcptPolicy(RecipientDirectory directory, ClientNetworkStore clientNetworks, Greylist greylist,
                      ScanDetector scanDetector, RcptGuardConfiguration configuration, Clock clock,
                      Supplier<Whitelist> sharedWhitelist, BackgroundLookups background, PenaltyListener penaltyListener,
                      Deployment deployment, HarvestState harvestState) {
        this.deployment = deployment;
        this.harvestState = harvestState;
        this.harvest = new HarvestResponse(harvestState, configuration.harvest(), configuration.scanThreshold(),
            configuration.delay());
        this.sharedWhitelist = sharedWhitelist;
        this.background = background;
        this.penaltyListener = penaltyListener;
        this.directory = directory;
        this.clientNetworks = clientNetworks;
        this.greylist = greylist;
        this.scanDetector = scanDetector;
        this.mixedRecipientRule = new MixedRecipientRule(configuration.mixedMode());
        this.configuration = configuration;
        this.clock = clock;
    }

    /**
     * The policy on one deployment's stores, with the configuration's static whitelists only and its background
     * look-ups on the caller's thread: for tools and tests that want every count settled when a decision returns.
     */
    public static RcptPolicy create(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration,
                                    Clock clock) {
        return create(directory, stores, configuration, clock, () -> Whitelist.EMPTY, BackgroundLookups.ON_CALLER_THREAD,
            PenaltyListener.NONE, Deployment.HOSTED);
    }

    /**
     * The policy on one deployment's stores, consulting {@code sharedWhitelist} with the static whitelists, with a
     * harvest state that records probes but that nothing refreshes: no domain goes under harvest.
     */
    public static RcptPolicy create(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration,
                                    Clock clock, Supplier<Whitelist> sharedWhitelist, BackgroundLookups background,
                                    PenaltyListener penaltyListener, Deployment deployment) {
        return create(directory, stores, configuration, clock, sharedWhitelist, background, penaltyListener, deployment,
            harvestState(stores, configuration, clock));
    }

    /** The harvest state of one deployment's stores, to be refreshed every {@code harvest.refresh}. */
    public static HarvestState harvestState(RcptGuardStores stores, RcptGuardConfiguration configuration, Clock clock) {
        return new HarvestState(stores.domainProbeStore(), new HarvestDetector(configuration.harvest()),
            configuration.harvest().window(), clock);
    }

    /** The policy on one deployment's stores, with the harvest state the caller refreshes. */
    public static RcptPolicy create(RecipientDirectory directory, RcptGuardStores stores, RcptGuardConfiguration configuration,
                                    Clock clock, Supplier<Whitelist> sharedWhitelist, BackgroundLookups background,
                                    PenaltyListener penaltyListener, Deployment deployment, HarvestState harvestState) {
        ClientNetworkStore clientNetworks = stores.clientNetworkStore();
        return new RcptPolicy(directory, clientNetworks,
            new Greylist(stores.tripletStore(), clientNetworks, clock, configuration),
            new ScanDetector(stores.unknownRecipientStore(), clientNetworks, clock, configuration),
            configuration, clock, sharedWhitelist, background, penaltyListener, deployment, harvestState);
    }

    public Decision decide(RcptRequest request, TransactionState transaction) {
        Decision decision = enforced(request, transaction);
        return configuration.mode() == RcptGuardMode.OBSERVE ? decision.observed(observedReply(request, decision)) : decision;
    }

    /**
     * Observe mode: James decides as if RcptGuard were absent, except for a relayed domain's recipients, which James
     * would refuse to relay: RcptGuard checks them as James's {@code ValidRcptHandler} checks a hosted domain's.
     */
    private Outcome observedReply(RcptRequest request, Decision decision) {
        if (request.authenticated() || request.relayAllowed() || !deployment.relays(request.recipientDomain())) {
            return Outcome.NOT_MINE;
        }
        return checkedByTheDirectory(decision.recipientClass().orElseGet(() -> classify(request)));
    }

    private Decision enforced(RcptRequest request, TransactionState transaction) {
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
            return trusted(request, trusted.get(), transaction);
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
        Optional<Reason> postgrey = postgreyMatch(request);
        if (postgrey.isPresent()) {
            return postgrey;
        }
        return sharedWhitelist.get().match(request.clientAddress(), sender, request.recipient());
    }

    /**
     * An entry of postgrey's whitelist files trusts as the same entry of the static whitelists would; a name entry
     * matches the client's verified name, as postgrey matches Postfix's {@code client_name}.
     */
    private Optional<Reason> postgreyMatch(RcptRequest request) {
        PostgreyWhitelist postgrey = configuration.postgreyWhitelist();
        if (postgrey == PostgreyWhitelist.EMPTY) {
            return Optional.empty();
        }
        return postgrey.match(request.clientAddress(), request.verifiedClientName(), request.recipient().asString())
            .map(match -> match == PostgreyWhitelist.Match.CLIENT ? Reason.WHITELISTED_CLIENT : Reason.RECIPIENT_OPT_OUT);
    }

    private Decision decideUntrusted(RcptRequest request, MaybeSender sender, TransactionState transaction) {
        ClientNetwork clientNetwork = configuration.clientNetworkOf(request.clientAddress());
        // Keyed by the identity the client proved, so a big sender's retry from another network of its pool matches.
        // Reputation, scan evidence and penalties stay with the network the attempt came from and are also kept by
        // the proven identity, so that a scanner spread over many networks gains nothing from spreading.
        Optional<ClientNetwork> proven = request.identity().map(ClientNetwork::provenBy);
        Triplet triplet = new Triplet(request.identity().orElseGet(() -> ClientIdentity.network(clientNetwork)),
            SenderNormaliser.key(sender), request.recipientKey());
        // The reads in flight at once: one round trip to the store. A network this node last saw auto-whitelisted
        // or penalised most likely still is: its greylist read would be wasted, so it waits for the network's read.
        boolean prefetch = !autoWhitelistHints.contains(clientNetwork) && !penaltyHints.contains(clientNetwork);
        CompletableFuture<Optional<TripletRecord>> prefetched = prefetch ? greylist.lookUp(triplet) : null;
        Optional<CompletableFuture<ClientNetworkState>> provenRead = proven.map(clientNetworks::loadAsync);
        ClientNetworkState state = clientNetworks.load(clientNetwork);
        Optional<ClientNetworkState> provenState = provenRead.map(CompletableFuture::join);
        Instant now = clock.instant();
        List<Counted> counted = new ArrayList<>();
        counted.add(new Counted(clientNetwork, state.penaltyActiveAt(now)));
        proven.ifPresent(unit -> counted.add(new Counted(unit, provenState.orElseThrow().penaltyActiveAt(now))));
        boolean penalised = anyPenalised(counted);
        penaltyHints.set(clientNetwork, penalised);
        boolean autoWhitelisted = state.isAutoWhitelisted(configuration.autoWhitelistPasses())
            || provenState.map(known -> known.isAutoWhitelisted(configuration.autoWhitelistPasses())).orElse(false);
        autoWhitelistHints.set(clientNetwork, autoWhitelisted);
        String domain = request.recipientDomain().asString();
        // a proven identity's reputation spares its new networks a harvest's response too
        ClientNetworkState reputation = provenState.filter(known -> known.passedTriplets() > state.passedTriplets())
            .orElse(state);
        int scanThreshold = harvest.scanThreshold(domain, reputation);
        if (autoWhitelisted && !penalised) {
            // Auto-whitelisting spares a network greylisting, not scan detection (docs/design.md, "Scanning costs"):
            // James decides, but the unknown recipients it names still count. Else a scanner could earn the
            // auto-whitelist with a few valid addresses and then scan at James's speed.
            Decision decision = trusted(request, Reason.AUTO_WHITELISTED, transaction);
            if (decision.recipientClass().isEmpty()) {
                // James answers this client, so skipping the look-up of a recipient valid a moment ago changes no reply.
                if (!recipientHints.recentlyValid(request.recipientKey(), now.toEpochMilli())) {
                    countInBackground(request, clientNetwork, counted, scanThreshold);
                }
            } else if (decision.recipientClass().get() == RecipientClass.INVALID) {
                countUnknown(request, clientNetwork, counted, scanThreshold);
            }
            return decision;
        }
        if (penalised) {
            // The greylist is not consulted; the recipients named still count (a raised penalty).
            countInBackground(request, clientNetwork, counted, scanThreshold);
            return underHarvest(new Decision(Outcome.DEFER, Reason.PENALISED, null, transaction), domain, reputation);
        }
        Duration delay = harvest.greylistDelay(domain, reputation);
        Optional<TripletRecord> known = (prefetch ? prefetched : greylist.lookUp(triplet)).join();
        if (!greylist.passesNow(known, delay)) {
            greylist.attempt(triplet, known, clientNetwork, false, delay);
            countInBackground(request, clientNetwork, counted, scanThreshold);
            return underHarvest(new Decision(Outcome.DEFER, Reason.GREYLISTED, null, transaction), domain, reputation);
        }
        RecipientClass recipientClass = classify(request);
        if (recipientClass == RecipientClass.INVALID) {
            countUnknown(request, clientNetwork, counted, scanThreshold);
        }
        // The pass counts for reputation only for a valid recipient, or a scanner would earn the auto-whitelist by
        // retrying its guesses.
        if (!greylist.attempt(triplet, known, clientNetwork, recipientClass == RecipientClass.VALID, delay)) {
            return underHarvest(new Decision(Outcome.DEFER, Reason.GREYLISTED, null, transaction), domain, reputation);
        }
        return afterPass(request, recipientClass, transaction);
    }

    /**
     * A client RcptGuard does not greylist, or a domain it does not govern: James decides, except for a relayed
     * domain's recipients, whom James's relay check would refuse to an unauthenticated client (RcptGuard is then
     * their recipient check), and for role accounts (accepted: James's {@code ValidRcptHandler} would refuse abuse@
     * without an alias).
     */
    private Decision trusted(RcptRequest request, Reason reason, TransactionState transaction) {
        if (reason == Reason.NOT_GOVERNED) {
            return new Decision(Outcome.NOT_MINE, reason, null, transaction);
        }
        if (deployment.relays(request.recipientDomain())) {
            if (reason == Reason.AUTHENTICATED || reason == Reason.RELAY_ALLOWED) {
                return new Decision(Outcome.NOT_MINE, reason, null, transaction);
            }
            RecipientClass recipientClass = classify(request);
            return new Decision(checkedByTheDirectory(recipientClass), reason, recipientClass, transaction);
        }
        return new Decision(RoleAccounts.contains(request.recipient()) ? Outcome.ACCEPT : Outcome.NOT_MINE, reason, null, transaction);
    }

    /** A relayed domain's recipient checked for a client RcptGuard does not greylist. */
    private static Outcome checkedByTheDirectory(RecipientClass recipientClass) {
        switch (recipientClass) {
            case VALID: return Outcome.ACCEPT;
            case INVALID: return Outcome.REJECT_UNKNOWN_USER;
            default: return Outcome.TEMPORARY_FAILURE;
        }
    }

    /** A deferral of a network the domain's harvest applies to says so (the decision log's {@code harvest=domain}). */
    private Decision underHarvest(Decision decision, String domain, ClientNetworkState state) {
        return harvest.tightened(domain, state) ? decision.underHarvest() : decision;
    }

    /** The look-up no reply waits for: an unknown recipient counts for scan detection. */
    private void countInBackground(RcptRequest request, ClientNetwork clientNetwork, List<Counted> counted,
                                   int scanThreshold) {
        background.submit(request.recipientDomain().asString(), clientNetwork, () -> {
            if (classify(request) == RecipientClass.INVALID) {
                countUnknown(request, clientNetwork, counted, scanThreshold);
            }
        });
    }

    /**
     * Counts an unknown recipient against each unit (scan detection) and, unless a unit is penalised already, as a
     * probe of its domain by the client network (harvests).
     */
    private void countUnknown(RcptRequest request, ClientNetwork clientNetwork, List<Counted> counted, int scanThreshold) {
        for (Counted unit : counted) {
            scanDetector.unknownRecipient(unit.unit, request.recipientKey(), unit.penalty, scanThreshold)
                .ifPresent(imposed -> penaltyListener.penalised(request, unit.unit, imposed));
        }
        if (anyPenalised(counted)) {
            // Already deferred everywhere: its further guesses tell a harvest nothing it must act on, and a penalised
            // scanner's every RCPT would cost a second write (docs/design.md, "Distributed harvests").
            return;
        }
        try {
            harvestState.record(new DomainProbe(request.recipientDomain().asString(), request.recipientKey(), clientNetwork));
        } catch (RuntimeException e) {
            // A lost probe only undercounts a harvest: it never changes the reply.
            LOGGER.warn("RcptGuard could not record the probe of {}: not counted towards a harvest", request.recipientDomain(), e);
        }
    }

    private static boolean anyPenalised(List<Counted> counted) {
        for (Counted unit : counted) {
            if (unit.penalty.isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** A unit scan evidence is counted by (the client network, or the identity it proved) and its running penalty. */
    private static final class Counted {
        private final ClientNetwork unit;
        private final Optional<Penalty> penalty;

        Counted(ClientNetwork unit, Optional<Penalty> penalty) {
            this.unit = unit;
            this.penalty = penalty;
        }
    }

    private Decision afterPass(RcptRequest request, RecipientClass recipientClass, TransactionState transaction) {
        if (recipientClass == RecipientClass.UNDECIDED) {
            // The attempt was recorded, so the retry can pass once the directory is back.
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.DIRECTORY_FAILURE, recipientClass, transaction);
        }
        if (mixedRecipientRule.defers(transaction, recipientClass)) {
            return new Decision(Outcome.DEFER, Reason.MIXED_RECIPIENTS, recipientClass, mixedRecipientRule.afterDeferral(transaction));
        }
        if (recipientClass == RecipientClass.VALID) {
            boolean acceptedHere = deployment.relays(request.recipientDomain()) || RoleAccounts.contains(request.recipient());
            return new Decision(acceptedHere ? Outcome.ACCEPT : Outcome.PASS, Reason.PASSED, recipientClass,
                transaction.withClass(recipientClass).accepted());
        }
        if (configuration.rejectMode() == RejectMode.DATA && !deployment.rejectsAfterData()) {
            LOGGER.error("reject.mode=data needs org.rcptguard.james.RcptGuardDataHook in smtpserver.xml: deferring {}"
                + " instead of accepting it", request.recipient());
            return new Decision(Outcome.TEMPORARY_FAILURE, Reason.UNKNOWN_USER, recipientClass, transaction);
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
            RecipientClass recipientClass = directory.classify(request.recipient());
            recipientHints.found(request.recipientKey(), recipientClass, clock.millis());
            return recipientClass;
        } catch (Exception e) {
            LOGGER.warn("RcptGuard directory lookup of {} failed: deferring", LogText.escape(request.recipient()), e);
            return RecipientClass.UNDECIDED;
        }
    }
}
