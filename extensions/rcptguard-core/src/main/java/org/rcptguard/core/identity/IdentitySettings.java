package org.rcptguard.core.identity;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.rcptguard.core.RcptGuardSettings;

/**
 * How a client's identity is resolved: whether SPF and forward-confirmed reverse DNS may prove a domain, and the
 * bound on one evaluation (which also bounds the look-up of a verified name for postgrey's name entries). Settings {@code identity.spf}, {@code identity.fcrdns}, {@code identity.dns.timeout},
 * {@code identity.max.concurrent}. Immutable.
 */
public final class IdentitySettings {
    /**
     * SPF on: a big sender's retry from another network passes after one delay, which is what an operator expects,
     * and the cost is bounded: every failure is the client network, the evaluation starts at MAIL FROM and overlaps
     * the client's RCPT, and the client most likely to wait, a first contact, is deferred anyway. In James 3.8.1 the
     * first RCPT awaits what is left of it on one of James's SMTP I/O threads (32 in conf/smtpserver.xml), hence 2 s
     * for the whole evaluation and 8 at once (then the client network without waiting): slow DNS holds at most a
     * quarter of those threads. A resolver that drops bursts costs some first contacts the whole 2 s
     * (docs/identity.md), so a local caching resolver is the advice. Forward-confirmed reverse DNS off: a hosting
     * provider's names would pool its tenants.
     */
    public static final IdentitySettings DEFAULT = new IdentitySettings(true, false, Duration.ofSeconds(2), 8);

    public static final String PREFIX = "identity.";
    private static final Set<String> KEYS = Set.of("identity.spf", "identity.fcrdns", "identity.dns.timeout",
        "identity.max.concurrent");

    private final boolean spf;
    private final boolean fcrdns;
    private final Duration timeout;
    private final int maxConcurrent;

    public IdentitySettings(boolean spf, boolean fcrdns, Duration timeout, int maxConcurrent) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("identity.dns.timeout must be positive: " + timeout);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("identity.max.concurrent must be at least 1: " + maxConcurrent);
        }
        this.spf = spf;
        this.fcrdns = fcrdns;
        this.timeout = timeout;
        this.maxConcurrent = maxConcurrent;
    }

    /** The {@code identity.*} group of {@code rcptguard.properties}; an unknown key of the group is refused. */
    public static IdentitySettings from(RcptGuardSettings settings) {
        settings.rejectUnknownKeys(PREFIX, KEYS, String.join(", ", new TreeSet<>(KEYS)));
        return new IdentitySettings(
            settings.choice("identity.spf", "true", "true", "false").equals("true"),
            settings.choice("identity.fcrdns", "false", "true", "false").equals("true"),
            settings.duration("identity.dns.timeout", "2s"),
            settings.integer("identity.max.concurrent", "8", 1, 100_000));
    }

    public boolean spf() {
        return spf;
    }

    public boolean fcrdns() {
        return fcrdns;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof IdentitySettings) {
            IdentitySettings other = (IdentitySettings) o;
            return spf == other.spf && fcrdns == other.fcrdns && timeout.equals(other.timeout) && maxConcurrent == other.maxConcurrent;
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(spf, fcrdns, timeout, maxConcurrent);
    }

    @Override
    public String toString() {
        return "identity.spf=" + spf + ", identity.fcrdns=" + fcrdns + ", identity.dns.timeout=" + timeout.toMillis() + "ms"
            + ", identity.max.concurrent=" + maxConcurrent;
    }
}
