package org.rcptguard.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

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

    private static final Set<String> KEYS = Set.of(GREYLIST_DELAY, GREYLIST_RETRY_WINDOW, GREYLIST_LIFETIME,
        NETWORK_IPV4_PREFIX, NETWORK_IPV6_PREFIX, AUTOWHITELIST_PASSES, WHITELIST_CLIENTS, WHITELIST_SENDERS,
        WHITELIST_RECIPIENTS, SCAN_THRESHOLD, SCAN_WINDOW, SCAN_PENALTY_FACTOR, SCAN_PENALTY_MAX, MIXED_MODE,
        REJECT_MODE, STORE, MEMORY_MAX_ENTRIES);
    /** Settings of the store implementations, validated by them. */
    private static final List<String> STORE_KEY_PREFIXES = List.of("cassandra.");

    private final Duration delay;
    private final Duration retryWindow;
    private final Duration lifetime;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final int autoWhitelistPasses;
    private final Whitelist whitelist;
    private final int scanThreshold;
    private final Duration scanWindow;
    private final int penaltyFactor;
    private final Duration penaltyMax;
    private final MixedRecipientMode mixedMode;
    private final RejectMode rejectMode;
    private final String store;
    private final int memoryMaxEntries;

    private RcptGuardConfiguration(Properties properties) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        unknown.removeIf(key -> STORE_KEY_PREFIXES.stream().anyMatch(key::startsWith));
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new InvalidConfigurationException(key, properties.getProperty(key), "unknown setting (known: "
                + new TreeSet<>(KEYS).stream().collect(Collectors.joining(", ")) + ")");
        }
        Reader reader = new Reader(properties);
        this.delay = reader.duration(GREYLIST_DELAY, "5m");
        this.retryWindow = reader.duration(GREYLIST_RETRY_WINDOW, "2d");
        this.lifetime = reader.duration(GREYLIST_LIFETIME, "36d");
        this.ipv4Prefix = reader.integer(NETWORK_IPV4_PREFIX, "24", 0, 32);
        this.ipv6Prefix = reader.integer(NETWORK_IPV6_PREFIX, "64", 0, 128);
        this.autoWhitelistPasses = reader.integer(AUTOWHITELIST_PASSES, "5", 0, 1000);
        this.whitelist = new Whitelist(
            reader.list(WHITELIST_CLIENTS, Cidr::parse),
            reader.list(WHITELIST_SENDERS, Whitelist::domain),
            reader.list(WHITELIST_RECIPIENTS, Whitelist::recipient));
        this.scanThreshold = reader.integer(SCAN_THRESHOLD, "10", 1, 1_000_000);
        this.scanWindow = reader.duration(SCAN_WINDOW, "1h");
        this.penaltyFactor = reader.integer(SCAN_PENALTY_FACTOR, "4", 1, 1000);
        this.penaltyMax = reader.duration(SCAN_PENALTY_MAX, "1d");
        this.mixedMode = MixedRecipientMode.parse(MIXED_MODE, reader.raw(MIXED_MODE, "defer-after-change"));
        this.rejectMode = RejectMode.parse(REJECT_MODE, reader.raw(REJECT_MODE, "rcpt"));
        this.store = reader.choice(STORE, "memory", "memory", "cassandra");
        this.memoryMaxEntries = reader.integer(MEMORY_MAX_ENTRIES, "200000", 1000, Integer.MAX_VALUE);
        if (retryWindow.compareTo(delay) <= 0) {
            throw new InvalidConfigurationException(GREYLIST_RETRY_WINDOW, reader.raw(GREYLIST_RETRY_WINDOW, "2d"),
                "must be longer than " + GREYLIST_DELAY + " (" + Durations.format(delay) + ")");
        }
    }

    public static RcptGuardConfiguration defaults() {
        return new RcptGuardConfiguration(new Properties());
    }

    public static RcptGuardConfiguration fromProperties(Properties properties) {
        return new RcptGuardConfiguration(properties);
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

    /** 0 means the auto-whitelist is off. */
    public int autoWhitelistPasses() {
        return autoWhitelistPasses;
    }

    public Whitelist whitelist() {
        return whitelist;
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

    /** Reads one key, naming it in every error. */
    private static final class Reader {
        private final Properties properties;

        Reader(Properties properties) {
            this.properties = properties;
        }

        String raw(String key, String defaultValue) {
            return properties.getProperty(key, defaultValue).trim();
        }

        Duration duration(String key, String defaultValue) {
            Duration duration = Durations.parse(key, raw(key, defaultValue));
            if (duration.isZero()) {
                throw new InvalidConfigurationException(key, raw(key, defaultValue), "must be longer than 0");
            }
            return duration;
        }

        int integer(String key, String defaultValue, int min, int max) {
            String value = raw(key, defaultValue);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new InvalidConfigurationException(key, value, "expected a whole number from " + min + " to " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(key, value, "expected a whole number from " + min + " to " + max);
            }
        }

        String choice(String key, String defaultValue, String... allowed) {
            String value = raw(key, defaultValue).toLowerCase(Locale.ROOT);
            if (!Arrays.asList(allowed).contains(value)) {
                throw new InvalidConfigurationException(key, raw(key, defaultValue), "expected one of " + String.join(", ", allowed));
            }
            return value;
        }

        <T> List<T> list(String key, Function<String, T> parser) {
            return Arrays.stream(raw(key, "").split("[,\\s]+"))
                .filter(item -> !item.isEmpty())
                .map(item -> {
                    try {
                        return parser.apply(item);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidConfigurationException(key, item, e.getMessage());
                    }
                })
                .collect(Collectors.toUnmodifiableList());
        }
    }
}
