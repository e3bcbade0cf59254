package org.rcptguard.james.content;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.util.DurationParser;
import org.apache.james.util.Size;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.content.ContentPolicy;
import org.rcptguard.core.content.OnFailure;

/**
 * The {@code content.*} settings of {@code conf/rcptguard.properties}, read and checked once at start-up. No
 * {@code content.rspamd.url} and no {@code content.clamd.address}: no scanning, RcptGuard behaves as without this part.
 */
public final class ContentSettings {

    static final String PREFIX = "content.";
    private static final Set<String> KEYS = Set.of(
        "content.rspamd.url", "content.rspamd.timeout", "content.rspamd.on-failure", "content.rspamd.max-size",
        "content.clamd.address", "content.clamd.timeout", "content.clamd.on-failure", "content.clamd.max-size",
        "content.trusted-clients", "content.opt-out", "content.strict", "content.strict.reject-score");

    /** What one scanner is set to: where, how long at most, what its failure does, the largest message it is sent. */
    public static final class Scanner {
        private final String address;
        private final Duration timeout;
        private final OnFailure onFailure;
        private final long maxSize;

        Scanner(String address, Duration timeout, OnFailure onFailure, long maxSize) {
            this.address = address;
            this.timeout = timeout;
            this.onFailure = onFailure;
            this.maxSize = maxSize;
        }

        public String address() {
            return address;
        }

        public Duration timeout() {
            return timeout;
        }

        public OnFailure onFailure() {
            return onFailure;
        }

        public long maxSize() {
            return maxSize;
        }
    }

    private final Optional<Scanner> rspamd;
    private final Optional<Scanner> clamd;
    private final boolean scanTrustedClients;
    private final ContentPolicy policy;
    private final OptionalDouble strictRejectScore;

    private ContentSettings(Optional<Scanner> rspamd, Optional<Scanner> clamd, boolean scanTrustedClients,
                            ContentPolicy policy, OptionalDouble strictRejectScore) {
        this.rspamd = rspamd;
        this.clamd = clamd;
        this.scanTrustedClients = scanTrustedClients;
        this.policy = policy;
        this.strictRejectScore = strictRejectScore;
    }

    public static ContentSettings of(Configuration configuration) {
        for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
                throw new InvalidConfigurationException(key, configuration.getString(key), "unknown setting (known: "
                    + KEYS.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        Reader reader = new Reader(configuration);
        Optional<Scanner> rspamd = reader.string("content.rspamd.url").map(url -> {
            reader.parse("content.rspamd.url", raw -> {
                URI uri = URI.create(raw);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                return uri;
            }, null);
            return reader.scanner("rspamd", url, "20M");
        });
        Optional<Scanner> clamd = reader.string("content.clamd.address").map(address -> {
            reader.parse("content.clamd.address", ClamdScanner::socketAddress, null);
            // clamd's own StreamMaxLength default: a larger stream is cut off with an error.
            return reader.scanner("clamd", address, "25M");
        });
        String trusted = reader.string("content.trusted-clients").orElse("scan");
        if (!trusted.equals("scan") && !trusted.equals("skip")) {
            throw new InvalidConfigurationException("content.trusted-clients", trusted, "expected scan or skip");
        }
        double strictScore = reader.parse("content.strict.reject-score", Double::parseDouble, 6.0);
        return new ContentSettings(rspamd, clamd, trusted.equals("scan"),
            new ContentPolicy(reader.list("content.opt-out"), reader.list("content.strict")), OptionalDouble.of(strictScore));
    }

    public Optional<Scanner> rspamd() {
        return rspamd;
    }

    public Optional<Scanner> clamd() {
        return clamd;
    }

    public boolean enabled() {
        return rspamd.isPresent() || clamd.isPresent();
    }

    /** Authenticated clients and clients allowed to relay: scanned by default (see the README). */
    public boolean scanTrustedClients() {
        return scanTrustedClients;
    }

    public ContentPolicy policy() {
        return policy;
    }

    public OptionalDouble strictRejectScore() {
        return strictRejectScore;
    }

    private static final class Reader {
        private final Configuration configuration;

        Reader(Configuration configuration) {
            this.configuration = configuration;
        }

        Optional<String> string(String key) {
            String[] values = configuration.getStringArray(key);
            // James's reader splits values at commas: join them back, each setting parses its own lists.
            String joined = String.join(",", values).trim();
            return joined.isEmpty() ? Optional.empty() : Optional.of(joined);
        }

        Set<String> list(String key) {
            return string(key).map(raw -> Arrays.stream(raw.split("[,\\s]+")).filter(entry -> !entry.isEmpty())
                .collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
        }

        <T> T parse(String key, Function<String, T> parser, T fallback) {
            Optional<String> raw = string(key);
            if (raw.isEmpty()) {
                return fallback;
            }
            try {
                return parser.apply(raw.get());
            } catch (RuntimeException e) {
                throw new InvalidConfigurationException(key, raw.get(), e.getMessage() == null ? "invalid value" : e.getMessage());
            }
        }

        Scanner scanner(String name, String address, String defaultMaxSize) {
            String prefix = PREFIX + name + ".";
            Duration timeout = parse(prefix + "timeout", raw -> positive(DurationParser.parse(raw, ChronoUnit.SECONDS)), Duration.ofSeconds(10));
            OnFailure onFailure = parse(prefix + "on-failure", raw -> {
                switch (raw.toLowerCase(Locale.ROOT)) {
                    case "defer": return OnFailure.DEFER;
                    case "accept": return OnFailure.ACCEPT;
                    default: throw new IllegalArgumentException("expected defer or accept");
                }
            }, OnFailure.DEFER);
            long maxSize = parse(prefix + "max-size", raw -> Size.parse(raw).asBytes(), Size.parse(defaultMaxSize).asBytes());
            return new Scanner(address, timeout, onFailure, maxSize);
        }

        private static Duration positive(Duration duration) {
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("must be positive");
            }
            return duration;
        }
    }
}
