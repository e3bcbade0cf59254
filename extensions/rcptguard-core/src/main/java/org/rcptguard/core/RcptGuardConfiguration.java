package org.rcptguard.core;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.rcptguard.core.harvest.HarvestSettings;
import org.rcptguard.core.postgrey.PostgreyWhitelist;
import org.rcptguard.core.postgrey.PostgreyWhitelists;

/**
 * Every setting of {@code conf/rcptguard.properties}, read once and validated. A missing key takes its documented
 * default; an unusable value or an unknown key is an {@link InvalidConfigurationException} naming the key.
 */
public final class RcptGuardConfiguration {
    public static final String GREYLIST_DELAY = "greylist.delay";
    public static final String GREYLIST_RETRY_WINDOW = "greylist.retry.window";
    public static final String GREYLIST_LIFETIME = "greylist.lifetime";
    public static final String NETWORK_IPV4_PREFIX = "network.ipv4.prefix";
    public static final String NETWORK_IPV6_PREFIX = "network.ipv6.prefix";
    public static final String AUTOWHITELIST_PASSES = "autowhitelist.passes";
    public static final String WHITELIST_CLIENTS = "whitelist.clients";
    public static final String WHITELIST_SENDERS = "whitelist.senders";
    public static final String WHITELIST_RECIPIENTS = "whitelist.recipients";
    public static final String SCAN_THRESHOLD = "scan.threshold";
    public static final String SCAN_WINDOW = "scan.window";
    public static final String SCAN_PENALTY_FACTOR = "scan.penalty.factor";
    public static final String SCAN_PENALTY_MAX = "scan.penalty.max";
    public static final String MIXED_MODE = "mixed.mode";
    public static final String REJECT_MODE = "reject.mode";
    public static final String STORE = "store";
    public static final String MEMORY_MAX_ENTRIES = "store.memory.max.entries";
    public static final String MODE = "mode";
    public static final String WHITELIST_REFRESH = "whitelist.refresh";
    public static final String NODE_NAME = "node.name";
    public static final String DECISION_LOG_HASH_ADDRESSES = "decision.log.hash.addresses";
    public static final String DECISION_LOG_HASH_SECRET = "decision.log.hash.secret";

    /** The shortest secret accepted for hashing addresses in the decision log. */
    public static final int MIN_HASH_SECRET_LENGTH = 16;

    private static final Set<String> KEYS = Set.of(GREYLIST_DELAY, GREYLIST_RETRY_WINDOW, GREYLIST_LIFETIME,
        NETWORK_IPV4_PREFIX, NETWORK_IPV6_PREFIX, AUTOWHITELIST_PASSES, WHITELIST_CLIENTS, WHITELIST_SENDERS,
        WHITELIST_RECIPIENTS, SCAN_THRESHOLD, SCAN_WINDOW, SCAN_PENALTY_FACTOR, SCAN_PENALTY_MAX, MIXED_MODE,
        REJECT_MODE, STORE, MEMORY_MAX_ENTRIES, MODE, WHITELIST_REFRESH, NODE_NAME, DECISION_LOG_HASH_ADDRESSES,
        DECISION_LOG_HASH_SECRET, PostgreyWhitelists.CLIENTS, PostgreyWhitelists.RECIPIENTS);
    private static final Pattern NODE_NAME_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,62}");

    private final Duration delay;
    private final Duration retryWindow;
    private final Duration lifetime;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final int autoWhitelistPasses;
    private final Whitelist whitelist;
    private final PostgreyWhitelist postgreyWhitelist;
    private final int scanThreshold;
    private final Duration scanWindow;
    private final int penaltyFactor;
    private final Duration penaltyMax;
    private final MixedRecipientMode mixedMode;
    private final RejectMode rejectMode;
    private final String store;
    private final int memoryMaxEntries;
    private final RcptGuardMode mode;
    private final Duration whitelistRefresh;
    private final String nodeName;
    private final boolean hashAddresses;
    private final String hashSecret;
    private final HarvestSettings harvest;

    private RcptGuardConfiguration(RcptGuardSettings settings) {
        settings.rejectUnknownKeys("", KEYS, String.join(", ", new TreeSet<>(KEYS)));
        this.delay = settings.duration(GREYLIST_DELAY, "5m");
        this.retryWindow = settings.duration(GREYLIST_RETRY_WINDOW, "2d");
        this.lifetime = settings.duration(GREYLIST_LIFETIME, "36d");
        this.ipv4Prefix = settings.integer(NETWORK_IPV4_PREFIX, "24", 0, 32);
        this.ipv6Prefix = settings.integer(NETWORK_IPV6_PREFIX, "64", 0, 128);
        this.autoWhitelistPasses = settings.integer(AUTOWHITELIST_PASSES, "5", 0, 1000);
        this.whitelist = new Whitelist(
            settings.list(WHITELIST_CLIENTS, Cidr::parse),
            settings.list(WHITELIST_SENDERS, Whitelist::domain),
            settings.list(WHITELIST_RECIPIENTS, Whitelist::recipient));
        this.postgreyWhitelist = PostgreyWhitelists.from(settings);
        this.scanThreshold = settings.integer(SCAN_THRESHOLD, "10", 1, 1_000_000);
        this.scanWindow = settings.duration(SCAN_WINDOW, "1h");
        this.penaltyFactor = settings.integer(SCAN_PENALTY_FACTOR, "4", 1, 1000);
        this.penaltyMax = settings.duration(SCAN_PENALTY_MAX, "1d");
        this.mixedMode = MixedRecipientMode.parse(MIXED_MODE, settings.value(MIXED_MODE, "defer-after-change"));
        this.rejectMode = RejectMode.parse(REJECT_MODE, settings.value(REJECT_MODE, "rcpt"));
        this.store = settings.choice(STORE, "memory", "memory", "cassandra");
        this.memoryMaxEntries = settings.integer(MEMORY_MAX_ENTRIES, "200000", 1000, Integer.MAX_VALUE);
        this.mode = RcptGuardMode.parse(MODE, settings.value(MODE, "enforce"));
        this.whitelistRefresh = settings.duration(WHITELIST_REFRESH, "5s");
        if (whitelistRefresh.compareTo(Duration.ofMillis(100)) < 0 || whitelistRefresh.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidConfigurationException(WHITELIST_REFRESH, settings.value(WHITELIST_REFRESH, "5s"),
                "expected a duration from 100ms to 1h");
        }
        String node = settings.value(NODE_NAME, "");
        if (!node.isEmpty() && !NODE_NAME_SYNTAX.matcher(node).matches()) {
            throw new InvalidConfigurationException(NODE_NAME, node,
                "expected letters, digits, '.', '-' and '_', starting with a letter or digit, at most 63 characters");
        }
        this.nodeName = node.isEmpty() ? null : node;
        this.hashAddresses = Boolean.parseBoolean(settings.choice(DECISION_LOG_HASH_ADDRESSES, "false", "true", "false"));
        String secret = settings.value(DECISION_LOG_HASH_SECRET, "");
        if (hashAddresses && secret.length() < MIN_HASH_SECRET_LENGTH) {
            // the secret itself is never echoed
            throw new InvalidConfigurationException(DECISION_LOG_HASH_SECRET, secret.isEmpty() ? "" : "***",
                "required when " + DECISION_LOG_HASH_ADDRESSES + "=true: a per-deployment secret of at least "
                    + MIN_HASH_SECRET_LENGTH + " characters, the same on every node (without it, hashes of addresses "
                    + "could be reversed by hashing guesses)");
        }
        this.hashSecret = secret;
        this.harvest = HarvestSettings.from(settings);
        if (retryWindow.compareTo(delay) <= 0) {
            throw new InvalidConfigurationException(GREYLIST_RETRY_WINDOW, settings.value(GREYLIST_RETRY_WINDOW, "2d"),
                "must be longer than " + GREYLIST_DELAY + " (" + RcptGuardSettings.format(delay) + ")");
        }
    }

    public static RcptGuardConfiguration defaults() {
        return from(RcptGuardSettings.empty());
    }

    public static RcptGuardConfiguration from(RcptGuardSettings settings) {
        return new RcptGuardConfiguration(settings);
    }

    /** For tests and tools: {@code properties} read as James reads {@code conf/rcptguard.properties}. */
    public static RcptGuardConfiguration fromProperties(Properties properties) {
        return from(RcptGuardSettings.of(properties));
    }

    /** The {@code harvest.*} group: distributed-harvest detection and the response to it. */
    public HarvestSettings harvest() {
        return harvest;
    }

    public Duration delay() {
        return delay;
    }

    public Duration retryWindow() {
        return retryWindow;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public ClientNetwork clientNetworkOf(java.net.InetAddress address) {
        return ClientNetwork.of(address, ipv4Prefix, ipv6Prefix);
    }

    /** The prefix length of an IPv4 client network ({@code network.ipv4.prefix}). */
    public int ipv4Prefix() {
        return ipv4Prefix;
    }

    /** The prefix length of an IPv6 client network ({@code network.ipv6.prefix}). */
    public int ipv6Prefix() {
        return ipv6Prefix;
    }

    /** 0 means the auto-whitelist is off. */
    public int autoWhitelistPasses() {
        return autoWhitelistPasses;
    }

    public Whitelist whitelist() {
        return whitelist;
    }

    /** The entries of postgrey's whitelist files ({@code whitelist.postgrey.*}); {@link PostgreyWhitelist#EMPTY} when unset. */
    public PostgreyWhitelist postgreyWhitelist() {
        return postgreyWhitelist;
    }

    public int scanThreshold() {
        return scanThreshold;
    }

    public Duration scanWindow() {
        return scanWindow;
    }

    public int penaltyFactor() {
        return penaltyFactor;
    }

    public Duration penaltyMax() {
        return penaltyMax;
    }

    public MixedRecipientMode mixedMode() {
        return mixedMode;
    }

    public RejectMode rejectMode() {
        return rejectMode;
    }

    public String store() {
        return store;
    }

    public int memoryMaxEntries() {
        return memoryMaxEntries;
    }

    /** {@code enforce} (the default) or {@code observe}. */
    public RcptGuardMode mode() {
        return mode;
    }

    /** How often each node re-reads the run-time whitelist. */
    public Duration whitelistRefresh() {
        return whitelistRefresh;
    }

    /** The name of this node in logs, counters and metrics; empty: the host name. */
    public Optional<String> nodeName() {
        return Optional.ofNullable(nodeName);
    }

    /** Whether the decision log writes keyed hashes instead of client addresses, senders and recipients. */
    public boolean hashAddresses() {
        return hashAddresses;
    }

    /** The key of those hashes (empty unless {@link #hashAddresses()}). */
    public String hashSecret() {
        return hashAddresses ? hashSecret : "";
    }
}
