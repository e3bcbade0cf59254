package org.rcptguard.core;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.convert.DefaultListDelimiterHandler;
import org.apache.james.util.DurationParser;

/**
 * {@code conf/rcptguard.properties} as James reads it ({@code PropertiesProvider}), with the one set of readers every
 * setting group uses: each error names the key and the value. Each group ({@link RcptGuardConfiguration}, the
 * directories, the Cassandra store, the content scanner) validates the keys under its own prefix; the policy's
 * reader refuses every other key ({@link #rejectUnknownKeys}).
 */
public final class RcptGuardSettings {
    /** Key prefixes owned by a setting group other than the policy, each of which validates its own keys. */
    public static final List<String> GROUP_PREFIXES = List.of("cassandra.", "directory.", "content.", "identity.", "harvest.");

    private static final String DURATION_SYNTAX = "expected a duration such as 30s, 5m, 2h or 36d";
    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9_.\\-]+))(?::(\\d{1,5}))?");

    private final Configuration configuration;

    private RcptGuardSettings(Configuration configuration) {
        this.configuration = configuration;
    }

    /** The settings as James's {@code PropertiesProvider} gives them. */
    public static RcptGuardSettings of(Configuration configuration) {
        return new RcptGuardSettings(configuration);
    }

    /** For tests and tools: {@code properties} read as James reads a {@code .properties} file (commas split lists). */
    public static RcptGuardSettings of(Properties properties) {
        PropertiesConfiguration configuration = new PropertiesConfiguration();
        configuration.setListDelimiterHandler(new DefaultListDelimiterHandler(','));
        properties.stringPropertyNames().forEach(key -> configuration.addProperty(key, properties.getProperty(key)));
        return new RcptGuardSettings(configuration);
    }

    public static RcptGuardSettings empty() {
        return of(new Properties());
    }

    /** Every key set, sorted. */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        configuration.getKeys().forEachRemaining(keys::add);
        return keys;
    }

    /**
     * The value as written, trimmed; absent when unset or blank. James splits values at commas; a value such as an LDAP
     * base ({@code ou=people,dc=example}) is one value, so the parts are joined back here, and only here.
     */
    public Optional<String> value(String key) {
        return Optional.of(written(key)).filter(value -> !value.isEmpty());
    }

    /** The value as written, trimmed (blank included: it is refused where blank is no value), else {@code defaultValue}. */
    public String value(String key, String defaultValue) {
        return configuration.containsKey(key) ? written(key) : defaultValue;
    }

    private String written(String key) {
        return String.join(",", configuration.getStringArray(key)).trim();
    }

    /** A duration longer than 0: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 36d}, {@code 1w}; a bare number is seconds. */
    public Duration duration(String key, String defaultValue) {
        String value = value(key, defaultValue);
        Duration duration = parseDuration(key, value);
        if (duration.isZero()) {
            throw new InvalidConfigurationException(key, value, "must be longer than 0");
        }
        return duration;
    }

    /** As {@link #duration}, 0 allowed. */
    public Duration durationOrZero(String key, String defaultValue) {
        return parseDuration(key, value(key, defaultValue));
    }

    public static Duration parseDuration(String key, String value) {
        try {
            return DurationParser.parse(value, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidConfigurationException(key, value, DURATION_SYNTAX);
        }
    }

    public int integer(String key, String defaultValue, int min, int max) {
        String value = value(key, defaultValue);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigurationException(key, value, "expected a whole number from " + min + " to " + max);
    }

    /** One of {@code allowed}, in lower case; the value is matched ignoring case. */
    public String choice(String key, String defaultValue, String... allowed) {
        String value = value(key, defaultValue);
        String lowerCase = value.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(lowerCase)) {
            throw new InvalidConfigurationException(key, value, "expected one of " + String.join(", ", allowed));
        }
        return lowerCase;
    }

    /** The items of a comma- or space-separated list; an item {@code parser} refuses is named in the error. */
    public <T> List<T> list(String key, Function<String, T> parser) {
        return Arrays.stream(value(key, "").split("[,\\s]+"))
            .filter(item -> !item.isEmpty())
            .map(item -> {
                try {
                    return parser.apply(item);
                } catch (InvalidConfigurationException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigurationException(key, item, e.getMessage());
                }
            })
            .collect(Collectors.toUnmodifiableList());
    }

    /** {@code host}, {@code host:port} or {@code [IPv6]:port}; empty when {@code value} is none of them. */
    public static Optional<HostPort> hostPort(String value, int defaultPort) {
        Matcher matcher = HOST_PORT.matcher(value.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = matcher.group(3) == null ? defaultPort : Integer.parseInt(matcher.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(matcher.group(1) != null ? matcher.group(1) : matcher.group(2), port));
    }

    /**
     * Refuses the first key that starts with {@code prefix} (every key when it is empty) and is not in {@code known},
     * nor, for the policy's empty prefix, under a {@link #GROUP_PREFIXES group prefix}.
     */
    public void rejectUnknownKeys(String prefix, Collection<String> known, String knownDescription) {
        keys().stream()
            .filter(key -> key.startsWith(prefix) && !known.contains(key))
            .filter(key -> !prefix.isEmpty() || GROUP_PREFIXES.stream().noneMatch(key::startsWith))
            .findFirst()
            .ifPresent(key -> {
                throw new InvalidConfigurationException(key, value(key, ""), "unknown setting (known: " + knownDescription + ")");
            });
    }

    /** {@code 1d}, {@code 2h}, {@code 5m}, {@code 30s} or {@code 500ms}: the shortest way to write {@code duration}. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds == 0) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** A host (an IPv6 address without its brackets) and a port. */
    public static final class HostPort {
        private final String host;
        private final int port;

        public HostPort(String host, int port) {
            this.host = java.util.Objects.requireNonNull(host);
            this.port = port;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HostPort && host.equals(((HostPort) o).host) && port == ((HostPort) o).port;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(host, port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
