package org.rcptguard.james.webadmin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.rcptguard.core.Cidr;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.ClientNetworkState;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.Penalty;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.SenderNormaliser;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.WhitelistKind;
import org.rcptguard.core.store.RcptGuardStores;
import org.rcptguard.james.DecisionCounters;
import org.rcptguard.james.RcptGuardNode;
import org.rcptguard.james.directory.DirectoryStatus;
import org.rcptguard.core.directory.VerificationCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.HaltException;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * RcptGuard's WebAdmin routes, under {@value #BASE}: {@code extensions.routes=org.rcptguard.james.webadmin.RcptGuardRoutes}
 * in webadmin.properties. They sit behind James's WebAdmin authentication when it is enabled (James guards every
 * path under a route's base path). Instantiated by James through the extensions' injector, so they share the
 * policy's stores and whitelist.
 *
 * <table>
 * <caption>Routes</caption>
 * <tr><td>GET {@code /rcptguard/status}</td><td>node, mode, store, whitelist snapshot time</td></tr>
 * <tr><td>GET {@code /rcptguard/whitelist}, GET {@code /rcptguard/whitelist/{kind}}</td><td>entries, with their source
 * ({@code configuration}: rcptguard.properties, read-only; {@code webadmin}: shared by the cluster)</td></tr>
 * <tr><td>PUT {@code /rcptguard/whitelist/{kind}/{value}}</td><td>204; applies on this node at once and on every
 * other node within {@code whitelist.refresh}</td></tr>
 * <tr><td>DELETE {@code /rcptguard/whitelist/{kind}/{value}}</td><td>204, 404 if absent, 409 if set in
 * rcptguard.properties</td></tr>
 * <tr><td>GET {@code /rcptguard/networks/{address or network}}</td><td>reputation, auto-whitelist, scan count,
 * penalty</td></tr>
 * <tr><td>DELETE {@code /rcptguard/penalties/{address or network}}</td><td>lifts the penalty and forgets the scan
 * evidence: 204, 404 without a penalty</td></tr>
 * <tr><td>GET, DELETE {@code /rcptguard/triplets?client=&sender=&recipient=}</td><td>the triplet, or forget it;
 * 404 if unknown</td></tr>
 * <tr><td>GET {@code /rcptguard/recipients/{address}}</td><td>address, governed, class, directory (the source that
 * answered: {@code james}, {@code list}, {@code ldap}, {@code smtp}; null when none did), cached (from the SMTP
 * verification cache), reason ({@code listed}, {@code backend refused}, {@code catch-all backend}, {@code timeout}, ...).
 * Looked up as at RCPT (same sources, timeout and bound; no reply floor); an SMTP answer found nowhere is verified
 * and cached.</td></tr>
 * <tr><td>DELETE {@code /rcptguard/verifications/{address}}</td><td>drops the address's SMTP verification answer
 * from the cache (shared by the cluster with {@code store=cassandra}): 204, 404 if none is cached</td></tr>
 * <tr><td>GET {@code /rcptguard/counters}</td><td>this node's decisions since it started</td></tr>
 * </table>
 *
 * <p>{@code kind} is {@code client}, {@code sender} or {@code recipient} (or their plurals). A value containing
 * {@code /} (a CIDR) is written as it is: {@code PUT /rcptguard/whitelist/clients/192.0.2.0/24}. Bad input is a 400
 * naming the field, and changes nothing.
 */
public class RcptGuardRoutes implements Routes {
    public static final String BASE = "/rcptguard";
    public static final String SOURCE_CONFIGURATION = "configuration";
    public static final String SOURCE_WEBADMIN = "webadmin";

    private static final Logger LOGGER = LoggerFactory.getLogger(RcptGuardRoutes.class);
    private static final String WHITELIST = BASE + "/whitelist";
    private static final String NETWORKS = BASE + "/networks";
    private static final String PENALTIES = BASE + "/penalties";
    private static final String TRIPLETS = BASE + "/triplets";
    private static final String RECIPIENTS = BASE + "/recipients";
    private static final String VERIFICATIONS = BASE + "/verifications";

    private final RcptGuardStores stores;
    private final SharedWhitelist sharedWhitelist;
    private final RcptGuardConfiguration configuration;
    private final RecipientDirectory directory;
    private final DirectoryStatus directoryStatus;
    private final DecisionCounters counters;
    private final RcptGuardNode node;
    private final JsonTransformer jsonTransformer;
    private final Clock clock;

    @Inject
    public RcptGuardRoutes(RcptGuardStores stores, SharedWhitelist sharedWhitelist, RcptGuardConfiguration configuration,
                           RecipientDirectory directory, DirectoryStatus directoryStatus, DecisionCounters counters,
                           RcptGuardNode node, JsonTransformer jsonTransformer, Clock clock) {
        this.directoryStatus = directoryStatus;
        this.stores = stores;
        this.sharedWhitelist = sharedWhitelist;
        this.configuration = configuration;
        this.directory = directory;
        this.counters = counters;
        this.node = node;
        this.jsonTransformer = jsonTransformer;
        this.clock = clock;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE + "/status", this::status, jsonTransformer);
        service.get(WHITELIST, (request, response) -> whitelist(Optional.empty()), jsonTransformer);
        service.get(WHITELIST + "/:kind", (request, response) -> whitelist(Optional.of(kind(request))), jsonTransformer);
        service.put(WHITELIST + "/:kind/*", this::addToWhitelist);
        service.delete(WHITELIST + "/:kind/*", this::removeFromWhitelist);
        service.get(NETWORKS + "/*", this::network, jsonTransformer);
        service.delete(PENALTIES + "/*", this::liftPenalty);
        service.get(TRIPLETS, this::triplet, jsonTransformer);
        service.delete(TRIPLETS, this::forgetTriplet);
        service.get(RECIPIENTS + "/*", this::recipient, jsonTransformer);
        service.delete(VERIFICATIONS + "/*", this::forgetVerification);
        service.get(BASE + "/counters", this::counters, jsonTransformer);
    }

    // ---- status ------------------------------------------------------------------------------------------------

    private Object status(Request request, Response response) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", node.name());
        status.put("mode", configuration.mode().settingValue());
        status.put("store", configuration.store());
        status.put("startedAt", node.startedAt().toString());
        status.put("whitelistRefresh", RcptGuardSettings.format(configuration.whitelistRefresh()));
        status.put("whitelistRefreshedAt", sharedWhitelist.refreshedAt().map(Instant::toString).orElse(null));
        return status;
    }

    // ---- whitelist ---------------------------------------------------------------------------------------------

    private Object whitelist(Optional<WhitelistKind> kind) {
        List<WhitelistEntry> configured = configuration.whitelist().entries();
        List<WhitelistEntry> shared = store(() -> stores.whitelistStore().list());
        List<Map<String, Object>> entries = new ArrayList<>();
        configured.stream()
            .filter(entry -> kind.map(wanted -> entry.kind() == wanted).orElse(true))
            .forEach(entry -> entries.add(entryJson(entry, SOURCE_CONFIGURATION)));
        shared.stream()
            .filter(entry -> kind.map(wanted -> entry.kind() == wanted).orElse(true))
            .sorted(Comparator.comparing(WhitelistEntry::kind).thenComparing(WhitelistEntry::value))
            .forEach(entry -> entries.add(entryJson(entry, SOURCE_WEBADMIN)));
        return entries;
    }

    private static Map<String, Object> entryJson(WhitelistEntry entry, String source) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", entry.kind().settingValue());
        json.put("value", entry.value());
        json.put("source", source);
        return json;
    }

    private Object addToWhitelist(Request request, Response response) {
        WhitelistEntry entry = whitelistEntry(request);
        store(() -> {
            sharedWhitelist.add(entry);
            return null;
        });
        LOGGER.info("RcptGuard whitelist: {} added through WebAdmin", entry);
        return Responses.returnNoContent(response);
    }

    private Object removeFromWhitelist(Request request, Response response) {
        WhitelistEntry entry = whitelistEntry(request);
        boolean shared = store(() -> stores.whitelistStore().list()).contains(entry);
        if (!shared) {
            if (configuration.whitelist().contains(entry)) {
                throw ErrorResponder.builder()
                    .statusCode(HttpStatus.CONFLICT_409)
                    .type(ErrorType.WRONG_STATE)
                    .message("%s %s is set in rcptguard.properties (whitelist.%ss): remove it there and restart James",
                        entry.kind().settingValue(), entry.value(), entry.kind().settingValue())
                    .haltError();
            }
            throw notFound("%s %s is not in the whitelist", entry.kind().settingValue(), entry.value());
        }
        store(() -> {
            sharedWhitelist.remove(entry);
            return null;
        });
        LOGGER.info("RcptGuard whitelist: {} removed through WebAdmin", entry);
        return Responses.returnNoContent(response);
    }

    private WhitelistEntry whitelistEntry(Request request) {
        WhitelistKind kind = kind(request);
        String value = pathRest(request, 2);
        try {
            return WhitelistEntry.of(kind, value);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid 'value' of a %s whitelist entry '%s': %s", kind.settingValue(), value, e.getMessage());
        }
    }

    private static WhitelistKind kind(Request request) {
        String text = pathSegment(request, 2);
        try {
            return WhitelistKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid 'kind': %s", e.getMessage());
        }
    }

    // ---- client networks and penalties ------------------------------------------------------------------------

    private Object network(Request request, Response response) {
        ClientNetwork network = clientNetwork("network", pathRest(request, 1));
        ClientNetworkState state = store(() -> stores.clientNetworkStore().load(network));
        int unknownRecipients = store(() -> stores.unknownRecipientStore().count(network));
        Optional<Penalty> penalty = activePenalty(state);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("network", network.asString());
        json.put("passedTriplets", state.passedTriplets());
        json.put("autoWhitelistPasses", configuration.autoWhitelistPasses());
        json.put("autoWhitelisted", configuration.autoWhitelistPasses() > 0
            && state.passedTriplets() >= configuration.autoWhitelistPasses());
        json.put("unknownRecipients", unknownRecipients);
        json.put("scanThreshold", configuration.scanThreshold());
        json.put("scanWindow", RcptGuardSettings.format(configuration.scanWindow()));
        json.put("penalised", penalty.isPresent());
        json.put("penalty", penalty.map(active -> {
            Map<String, Object> penaltyJson = new LinkedHashMap<>();
            penaltyJson.put("level", active.level());
            penaltyJson.put("until", active.until().toString());
            penaltyJson.put("remainingSeconds", Duration.between(clock.instant(), active.until()).toSeconds());
            return penaltyJson;
        }).orElse(null));
        return json;
    }

    private Object liftPenalty(Request request, Response response) {
        ClientNetwork network = clientNetwork("network", pathRest(request, 1));
        ClientNetworkState state = store(() -> stores.clientNetworkStore().load(network));
        if (activePenalty(state).isEmpty()) {
            throw notFound("%s has no penalty", network.asString());
        }
        store(() -> {
            stores.clientNetworkStore().liftPenalty(network);
            // Otherwise the network's next unknown recipient would impose the penalty again at once.
            stores.unknownRecipientStore().forget(network);
            return null;
        });
        LOGGER.info("RcptGuard: penalty of {} lifted through WebAdmin", network);
        return Responses.returnNoContent(response);
    }

    private Optional<Penalty> activePenalty(ClientNetworkState state) {
        Instant now = clock.instant();
        return state.penalty().filter(penalty -> penalty.isActiveAt(now));
    }

    /** An address (reduced to its network by the configured prefix) or a network of exactly that prefix. */
    private ClientNetwork clientNetwork(String field, String text) {
        if (text == null || text.isBlank()) {
            throw badRequest("Missing '%s': an IP address or a client network such as 192.0.2.0/%d", field, configuration.ipv4Prefix());
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid '%s': %s", field, e.getMessage());
        }
        if (!text.contains("/")) {
            return configuration.clientNetworkOf(cidr.address());
        }
        int expected = cidr.isIpv4() ? configuration.ipv4Prefix() : configuration.ipv6Prefix();
        if (cidr.prefixLength() != expected) {
            throw badRequest("Invalid '%s': %s is not a client network: RcptGuard counts %s clients by /%d networks (%s);"
                    + " give an address or a /%d network", field, text, cidr.isIpv4() ? "IPv4" : "IPv6", expected,
                cidr.isIpv4() ? RcptGuardConfiguration.NETWORK_IPV4_PREFIX : RcptGuardConfiguration.NETWORK_IPV6_PREFIX, expected);
        }
        return ClientNetwork.parse(cidr.asString());
    }

    // ---- triplets -----------------------------------------------------------------------------------------------

    private Object triplet(Request request, Response response) {
        Triplet triplet = triplet(request);
        TripletRecord record = store(() -> stores.tripletStore().find(triplet))
            .orElseThrow(() -> notFound("No triplet (%s, %s, %s)", triplet.clientNetwork(), triplet.sender(), triplet.recipient()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("network", triplet.clientNetwork().asString());
        json.put("sender", triplet.sender());
        json.put("recipient", triplet.recipient());
        json.put("firstSeen", record.firstSeen().toString());
        json.put("passed", record.isPassed());
        json.put("passedAt", record.passedAt().map(Instant::toString).orElse(null));
        json.put("lastSeen", record.lastSeen().toString());
        json.put("passesFrom", record.isPassed() ? null : record.firstSeen().plus(configuration.delay()).toString());
        json.put("expires", (record.isPassed() ? record.lastSeen().plus(configuration.lifetime())
            : record.firstSeen().plus(configuration.retryWindow())).toString());
        return json;
    }

    private Object forgetTriplet(Request request, Response response) {
        Triplet triplet = triplet(request);
        if (store(() -> stores.tripletStore().find(triplet)).isEmpty()) {
            throw notFound("No triplet (%s, %s, %s)", triplet.clientNetwork(), triplet.sender(), triplet.recipient());
        }
        store(() -> {
            stores.tripletStore().forget(triplet);
            return null;
        });
        LOGGER.info("RcptGuard: triplet {} forgotten through WebAdmin", triplet);
        return Responses.returnNoContent(response);
    }

    /** {@code client} (address or network), {@code sender} (empty or {@code <>}: the null sender), {@code recipient}. */
    private Triplet triplet(Request request) {
        ClientNetwork network = clientNetwork("client", required(request, "client"));
        String sender = required(request, "sender").trim();
        if (sender.startsWith("<") && sender.endsWith(">")) {
            sender = sender.substring(1, sender.length() - 1);
        }
        if (!sender.isEmpty() && !isAddress(sender)) {
            throw badRequest("Invalid 'sender': '%s' is not an address (the null sender is written <> or left empty)", sender);
        }
        String recipient = required(request, "recipient").trim();
        if (!isAddress(recipient)) {
            throw badRequest("Invalid 'recipient': '%s' is not an address", recipient);
        }
        return new Triplet(network, SenderNormaliser.normalise(sender), recipient.toLowerCase(Locale.ROOT));
    }

    private static String required(Request request, String parameter) {
        String value = request.queryParams(parameter);
        if (value == null) {
            throw badRequest("Missing query parameter '%s' (client, sender and recipient are required)", parameter);
        }
        return value;
    }

    // ---- recipients -------------------------------------------------------------------------------------------

    private Object recipient(Request request, Response response) {
        String address = address(request);
        String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", address.toLowerCase(Locale.ROOT));
        try {
            boolean governed = directory.governs(domain);
            json.put("governed", governed);
            DirectoryAnswer answer = governed ? directory.explain(address) : null;
            json.put("class", answer == null ? null : answer.recipientClass().name());
            json.put("directory", answer == null ? null : answer.source());
            json.put("cached", answer != null && answer.cached());
            json.put("reason", answer == null ? "domain not hosted or relayed here" : answer.reason());
        } catch (Exception e) {
            json.put("governed", null);
            json.put("class", RecipientClass.UNDECIDED.name());
            json.put("directory", null);
            json.put("cached", false);
            json.put("reason", "failed");
            json.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return json;
    }

    private Object forgetVerification(Request request, Response response) {
        String key = address(request).toLowerCase(Locale.ROOT);
        Optional<VerificationCache> cache = directoryStatus.verificationCache();
        if (cache.isEmpty() || store(() -> cache.get().find(key)).isEmpty()) {
            throw notFound("No cached verification of %s", key);
        }
        store(() -> {
            cache.get().forget(key);
            return null;
        });
        LOGGER.info("RcptGuard: verification of {} forgotten through WebAdmin", key);
        return Responses.returnNoContent(response);
    }

    /** The path's {@code address} (after the route's first segment), a 400 naming the field if it is not one. */
    private static String address(Request request) {
        String address = pathRest(request, 1).trim();
        if (!isAddress(address)) {
            throw badRequest("Invalid 'address': '%s' is not an address", address);
        }
        return address;
    }

    // ---- counters -----------------------------------------------------------------------------------------------

    private Object counters(Request request, Response response) {
        DecisionCounters.Snapshot snapshot = counters.snapshot();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("node", snapshot.node().name());
        json.put("mode", configuration.mode().settingValue());
        json.put("since", snapshot.node().startedAt().toString());
        json.put("decisions", snapshot.decisions());
        json.put("deferred", snapshot.deferred());
        json.put("passed", snapshot.passed());
        json.put("trusted", snapshot.trusted());
        json.put("rejected", snapshot.rejected());
        json.put("penalised", snapshot.penalised());
        json.put("deferredWhilePenalised", snapshot.deferredWhilePenalised());
        json.put("rejectedAfterData", snapshot.dataRejections());
        json.put("byOutcome", snapshot.byOutcome().entrySet().stream()
            .collect(Collectors.toMap(entry -> entry.getKey().name(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
        json.put("byReason", snapshot.byReason().entrySet().stream()
            .collect(Collectors.toMap(entry -> entry.getKey().name(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
        return json;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static boolean isAddress(String text) {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            return false;
        }
        try {
            WhitelistEntry.recipient(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A store call; a failure is a 500 saying so (the SMTP side defers meanwhile). */
    private static <T> T store(Supplier<T> call) {
        try {
            return call.get();
        } catch (HaltException e) {
            throw e;
        } catch (RuntimeException e) {
            LOGGER.warn("RcptGuard WebAdmin: store call failed", e);
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
                .type(ErrorType.SERVER_ERROR)
                .message("RcptGuard store cannot be reached: %s", e.getMessage())
                .cause(e)
                .haltError();
        }
    }

    /** The raw (still percent-encoded) path segments after the base: /rcptguard/a/b/c gives [a, b, c]. */
    private static List<String> rawSegments(Request request) {
        String uri = request.raw().getRequestURI();
        String rest = uri.substring(uri.indexOf(BASE) + BASE.length());
        return Arrays.stream(rest.split("/", -1)).skip(1).collect(Collectors.toList());
    }

    /** The {@code index}-th segment after /rcptguard (1-based), decoded. */
    private static String pathSegment(Request request, int index) {
        List<String> segments = rawSegments(request);
        return segments.size() >= index ? decode(segments.get(index - 1)) : "";
    }

    /** Everything after the first {@code skipped} segments after /rcptguard, slashes included, decoded. */
    private static String pathRest(Request request, int skipped) {
        List<String> segments = rawSegments(request);
        if (segments.size() <= skipped) {
            return "";
        }
        return decode(String.join("/", segments.subList(skipped, segments.size())));
    }

    /** Percent-decoding of a path: unlike a query string, '+' is a plus (alice+tag@example.com). */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid percent-encoding in '%s'", raw);
        }
    }

    private static HaltException badRequest(String message, Object... arguments) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.BAD_REQUEST_400)
            .type(ErrorType.INVALID_ARGUMENT)
            .message(message, arguments)
            .haltError();
    }

    private static HaltException notFound(String message, Object... arguments) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.NOT_FOUND_404)
            .type(ErrorType.NOT_FOUND)
            .message(message, arguments)
            .haltError();
    }
}
