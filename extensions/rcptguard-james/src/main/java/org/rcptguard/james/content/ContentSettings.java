package org.rcptguard.james.content;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.james.util.Size;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardSettings;
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

    public static ContentSettings from(RcptGuardSettings settings) {
        settings.rejectUnknownKeys(PREFIX, KEYS, KEYS.stream().sorted().collect(Collectors.joining(", ")));
        Optional<Scanner> rspamd = settings.value("content.rspamd.url").map(url -> {
            parse("content.rspamd.url", url, raw -> {
                URI uri = URI.create(raw);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                return uri;
            });
            return scanner(settings, "rspamd", url, "20M");
        });
        Optional<Scanner> clamd = settings.value("content.clamd.address").map(address -> {
            parse("content.clamd.address", address, ClamdScanner::socketAddress);
            // clamd's own StreamMaxLength default: a larger stream is cut off with an error.
            return scanner(settings, "clamd", address, "25M");
        });
        boolean scanTrusted = settings.choice("content.trusted-clients", "scan", "scan", "skip").equals("scan");
        double strictScore = parse("content.strict.reject-score", settings.value("content.strict.reject-score", "6.0"),
            Double::parseDouble);
        return new ContentSettings(rspamd, clamd, scanTrusted,
            new ContentPolicy(Set.copyOf(settings.list("content.opt-out", Function.identity())),
                Set.copyOf(settings.list("content.strict", Function.identity()))),
            OptionalDouble.of(strictScore));
    }

    /** For tests: {@code properties} read as James reads {@code conf/rcptguard.properties}. */
    public static ContentSettings fromProperties(Properties properties) {
        return from(RcptGuardSettings.of(properties));
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

    private static Scanner scanner(RcptGuardSettings settings, String name, String address, String defaultMaxSize) {
        String prefix = PREFIX + name + ".";
        Duration timeout = settings.duration(prefix + "timeout", "10s");
        OnFailure onFailure = settings.choice(prefix + "on-failure", "defer", "defer", "accept").equals("accept")
            ? OnFailure.ACCEPT : OnFailure.DEFER;
        String maxSize = settings.value(prefix + "max-size", defaultMaxSize);
        return new Scanner(address, timeout, onFailure, parse(prefix + "max-size", maxSize, raw -> Size.parse(raw).asBytes()));
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(key, value, e.getMessage() == null ? "invalid value" : e.getMessage());
        }
    }
}
