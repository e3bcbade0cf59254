package org.rcptguard.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RcptGuardSettings.HostPort;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;

/**
 * The {@code cassandra.*} settings of {@code conf/rcptguard.properties}, read once and validated. Other keys are
 * left to {@code RcptGuardConfiguration}; an unknown {@code cassandra.*} key or an unusable value is an
 * {@link InvalidConfigurationException} naming the key.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>default</th><th>value</th></tr>
 * <tr><td>{@value #CONTACT_POINTS}</td><td>{@code 127.0.0.1:9042}</td>
 *     <td>comma-separated {@code host:port} (port optional, 9042); IPv6 as {@code [2001:db8::1]:9042}</td></tr>
 * <tr><td>{@value #LOCAL_DATACENTER}</td><td>{@code datacenter1}</td>
 *     <td>the data center of this James node's Cassandra nodes</td></tr>
 * <tr><td>{@value #KEYSPACE}</td><td>{@code rcptguard}</td>
 *     <td>lower case letters, digits and {@code _}, starting with a letter, at most 48 characters; created if
 *     missing</td></tr>
 * <tr><td>{@value #REPLICATION}</td><td>{@code SimpleStrategy:1}</td>
 *     <td>replication of the keyspace when RcptGuard creates it (an existing keyspace is never altered):
 *     {@code SimpleStrategy:<replication factor>}, e.g. {@code SimpleStrategy:3}, or
 *     {@code NetworkTopologyStrategy:<dc>=<replication factor>,<dc>=<replication factor>...}, e.g.
 *     {@code NetworkTopologyStrategy:dc1=3,dc2=3}</td></tr>
 * <tr><td>{@value #READ_CONSISTENCY}</td><td>{@code LOCAL_QUORUM}</td>
 *     <td>consistency level of every read: {@code ONE}, {@code TWO}, {@code THREE}, {@code QUORUM},
 *     {@code ALL}, {@code LOCAL_ONE}, {@code LOCAL_QUORUM} or {@code EACH_QUORUM}</td></tr>
 * <tr><td>{@value #WRITE_CONSISTENCY}</td><td>{@code LOCAL_QUORUM}</td>
 *     <td>consistency level of every write: as for reads, plus {@code ANY}</td></tr>
 * <tr><td>{@value #TIMEOUT}</td><td>{@code 1s}</td>
 *     <td>timeout of each statement (a duration: {@code 500ms}, {@code 2s}); keep it far below the SMTP
 *     timeout</td></tr>
 * <tr><td>{@value #USERNAME}, {@value #PASSWORD}</td><td>none</td>
 *     <td>plain-text credentials; both or neither</td></tr>
 * <tr><td>{@value #SESSION}</td><td>{@code own}</td>
 *     <td>{@code own}: RcptGuard connects with the settings above; {@code james}: RcptGuard uses the
 *     {@code CqlSession} of a Cassandra-backed James (its contact points, data center and credentials; the
 *     keyspace, replication, consistency levels and timeout above still apply)</td></tr>
 * <tr><td>{@value #TRIPLET_FILTER}</td><td>{@code true}</td>
 *     <td>{@code true}: each node keeps a filter of every triplet in the greylist, fed by the other nodes, and answers a
 *     first contact without reading Cassandra (with a greylist delay of 10 s or more); {@code false}: every triplet
 *     not known passed is read (during a rolling upgrade from a release without the filter, whose nodes do not
 *     publish what they record)</td></tr>
 * </table>
 *
 * <p>{@code SERIAL} and {@code LOCAL_SERIAL} are refused: they are lightweight-transaction levels, and RcptGuard
 * uses no lightweight transaction. Reads and writes at {@code LOCAL_QUORUM} each (or any pair whose replica counts
 * add up to more than the replication factor) let a retry landing on any James node see what another node wrote.
 */
public final class CassandraStoreConfiguration {
    public static final String PREFIX = "cassandra.";
    public static final String CONTACT_POINTS = "cassandra.contact.points";
    public static final String LOCAL_DATACENTER = "cassandra.local.datacenter";
    public static final String KEYSPACE = "cassandra.keyspace";
    public static final String REPLICATION = "cassandra.replication";
    public static final String READ_CONSISTENCY = "cassandra.consistency.read";
    public static final String WRITE_CONSISTENCY = "cassandra.consistency.write";
    public static final String TIMEOUT = "cassandra.timeout";
    public static final String USERNAME = "cassandra.username";
    public static final String PASSWORD = "cassandra.password";
    public static final String SESSION = "cassandra.session";
    public static final String TRIPLET_FILTER = "cassandra.triplet.filter";

    public static final int DEFAULT_PORT = 9042;

    private static final Set<String> KEYS = Set.of(CONTACT_POINTS, LOCAL_DATACENTER, KEYSPACE, REPLICATION,
        READ_CONSISTENCY, WRITE_CONSISTENCY, TIMEOUT, USERNAME, PASSWORD, SESSION, TRIPLET_FILTER);
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern DATACENTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final Set<DefaultConsistencyLevel> READ_LEVELS = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(
        DefaultConsistencyLevel.ONE, DefaultConsistencyLevel.TWO, DefaultConsistencyLevel.THREE,
        DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.ALL, DefaultConsistencyLevel.LOCAL_ONE,
        DefaultConsistencyLevel.LOCAL_QUORUM, DefaultConsistencyLevel.EACH_QUORUM)));
    private static final Set<DefaultConsistencyLevel> WRITE_LEVELS = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(
        DefaultConsistencyLevel.ANY, DefaultConsistencyLevel.ONE, DefaultConsistencyLevel.TWO,
        DefaultConsistencyLevel.THREE, DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.ALL,
        DefaultConsistencyLevel.LOCAL_ONE, DefaultConsistencyLevel.LOCAL_QUORUM, DefaultConsistencyLevel.EACH_QUORUM)));

    private final List<HostPort> contactPoints;
    private final String localDatacenter;
    private final String keyspace;
    private final Replication replication;
    private final ConsistencyLevel readConsistency;
    private final ConsistencyLevel writeConsistency;
    private final Duration timeout;
    private final String username;
    private final String password;
    private final boolean useJamesSession;
    private final boolean tripletFilter;

    private CassandraStoreConfiguration(RcptGuardSettings settings) {
        settings.rejectUnknownKeys(PREFIX, KEYS, String.join(", ", new TreeSet<>(KEYS)));
        this.contactPoints = contactPoints(settings.value(CONTACT_POINTS, "127.0.0.1:" + DEFAULT_PORT));
        this.localDatacenter = localDatacenter(settings.value(LOCAL_DATACENTER, "datacenter1"));
        this.keyspace = keyspace(settings.value(KEYSPACE, "rcptguard"));
        this.replication = Replication.parse(REPLICATION, settings.value(REPLICATION, "SimpleStrategy:1"));
        this.readConsistency = consistency(READ_CONSISTENCY, settings.value(READ_CONSISTENCY, "LOCAL_QUORUM"), READ_LEVELS);
        this.writeConsistency = consistency(WRITE_CONSISTENCY, settings.value(WRITE_CONSISTENCY, "LOCAL_QUORUM"), WRITE_LEVELS);
        this.timeout = settings.duration(TIMEOUT, "1s");
        if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new InvalidConfigurationException(TIMEOUT, settings.value(TIMEOUT, "1s"),
                "must be at most 5m: it bounds a wait inside an SMTP command");
        }
        String user = settings.value(USERNAME, null);
        String secret = settings.value(PASSWORD, null);
        if (user != null && user.isEmpty()) {
            throw new InvalidConfigurationException(USERNAME, user, "must not be empty (remove it to connect without credentials)");
        }
        if (user != null && (secret == null || secret.isEmpty())) {
            throw new InvalidConfigurationException(PASSWORD, "", "required when " + USERNAME + " is set");
        }
        if (user == null && secret != null) {
            throw new InvalidConfigurationException(USERNAME, "", "required when " + PASSWORD + " is set");
        }
        this.username = user;
        this.password = secret;
        this.useJamesSession = settings.choice(SESSION, "own", "own", "james").equals("james");
        this.tripletFilter = settings.choice(TRIPLET_FILTER, "true", "true", "false").equals("true");
    }

    public static CassandraStoreConfiguration defaults() {
        return from(RcptGuardSettings.empty());
    }

    /** Reads the {@code cassandra.*} keys; other keys are left to their own group. */
    public static CassandraStoreConfiguration from(RcptGuardSettings settings) {
        return new CassandraStoreConfiguration(settings);
    }

    /** For tests and tools: {@code properties} read as James reads {@code conf/rcptguard.properties}. */
    public static CassandraStoreConfiguration fromProperties(Properties properties) {
        return from(RcptGuardSettings.of(properties));
    }

    public List<HostPort> contactPoints() {
        return contactPoints;
    }

    public String localDatacenter() {
        return localDatacenter;
    }

    public String keyspace() {
        return keyspace;
    }

    public Replication replication() {
        return replication;
    }

    public ConsistencyLevel readConsistency() {
        return readConsistency;
    }

    public ConsistencyLevel writeConsistency() {
        return writeConsistency;
    }

    /** The timeout of each statement RcptGuard sends on the RCPT path. */
    public Duration timeout() {
        return timeout;
    }

    public Optional<Credentials> credentials() {
        return username == null ? Optional.empty() : Optional.of(new Credentials(username, password));
    }

    /** {@value #SESSION}{@code =james}: build the stores on James's own session, not on one of RcptGuard's. */
    public boolean useJamesSession() {
        return useJamesSession;
    }

    /** {@value #TRIPLET_FILTER}: whether a first contact may be answered from the node's triplet filter, without a read. */
    public boolean tripletFilter() {
        return tripletFilter;
    }

    @Override
    public String toString() {
        return "CassandraStoreConfiguration{contactPoints=" + contactPoints + ", localDatacenter=" + localDatacenter
            + ", keyspace=" + keyspace + ", replication=" + replication + ", readConsistency=" + readConsistency
            + ", writeConsistency=" + writeConsistency + ", timeout=" + RcptGuardSettings.format(timeout)
            + ", username=" + (username == null ? "none" : username) + ", session=" + (useJamesSession ? "james" : "own")
            + ", tripletFilter=" + tripletFilter + "}";
    }

    private static List<HostPort> contactPoints(String value) {
        List<HostPort> points = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                points.add(RcptGuardSettings.hostPort(trimmed, DEFAULT_PORT).orElseThrow(() -> new InvalidConfigurationException(
                    CONTACT_POINTS, value, "expected comma-separated host:port, e.g. 10.0.0.1:9042,10.0.0.2:9042 or [2001:db8::1]:9042 ("
                        + trimmed + ")")));
            }
        }
        if (points.isEmpty()) {
            throw new InvalidConfigurationException(CONTACT_POINTS, value, "expected at least one host:port");
        }
        return List.copyOf(points);
    }

    private static String localDatacenter(String value) {
        if (!DATACENTER_NAME.matcher(value).matches()) {
            throw new InvalidConfigurationException(LOCAL_DATACENTER, value, "expected a data center name such as datacenter1");
        }
        return value;
    }

    private static String keyspace(String value) {
        if (!KEYSPACE_NAME.matcher(value).matches()) {
            throw new InvalidConfigurationException(KEYSPACE, value,
                "expected lower case letters, digits and _, starting with a letter, at most 48 characters");
        }
        return value;
    }

    private static ConsistencyLevel consistency(String key, String value, Set<DefaultConsistencyLevel> allowed) {
        String expected = "expected one of " + allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
        try {
            DefaultConsistencyLevel level = DefaultConsistencyLevel.valueOf(value.toUpperCase(Locale.ROOT));
            if (!allowed.contains(level)) {
                throw new InvalidConfigurationException(key, value, expected
                    + (level.isSerial() ? " (serial levels are for lightweight transactions, which RcptGuard does not use)" : ""));
            }
            return level;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(key, value, expected);
        }
    }

    /** Plain-text credentials; {@link #toString()} hides the password. */
    public static final class Credentials {
        private final String username;
        private final String password;

        Credentials(String username, String password) {
            this.username = username;
            this.password = password;
        }

        public String username() {
            return username;
        }

        public String password() {
            return password;
        }

        @Override
        public String toString() {
            return "Credentials{username=" + username + ", password=***}";
        }
    }

    /**
     * Replication of the keyspace: {@code SimpleStrategy:<factor>} or
     * {@code NetworkTopologyStrategy:<dc>=<factor>[,<dc>=<factor>...]}.
     */
    public static final class Replication {
        public static final String SIMPLE_STRATEGY = "SimpleStrategy";
        public static final String NETWORK_TOPOLOGY_STRATEGY = "NetworkTopologyStrategy";
        private static final String SYNTAX = "expected SimpleStrategy:<replication factor> (e.g. SimpleStrategy:3) or"
            + " NetworkTopologyStrategy:<dc>=<replication factor>,... (e.g. NetworkTopologyStrategy:dc1=3,dc2=3)";
        private static final Pattern FACTOR = Pattern.compile("\\d{1,2}");

        private final String strategy;
        private final Map<String, Integer> factors;

        private Replication(String strategy, Map<String, Integer> factors) {
            this.strategy = strategy;
            this.factors = Collections.unmodifiableMap(new LinkedHashMap<>(factors));
        }

        public static Replication simple(int replicationFactor) {
            return new Replication(SIMPLE_STRATEGY, Map.of("replication_factor", replicationFactor));
        }

        static Replication parse(String key, String value) {
            int colon = value.indexOf(':');
            if (colon < 0) {
                throw new InvalidConfigurationException(key, value, SYNTAX);
            }
            String strategy = value.substring(0, colon).trim();
            String rest = value.substring(colon + 1).trim();
            if (strategy.equalsIgnoreCase(SIMPLE_STRATEGY)) {
                return simple(factor(key, value, rest));
            }
            if (strategy.equalsIgnoreCase(NETWORK_TOPOLOGY_STRATEGY)) {
                Map<String, Integer> factors = new LinkedHashMap<>();
                for (String item : rest.split(",")) {
                    String[] parts = item.split("=", -1);
                    if (parts.length != 2 || !DATACENTER_NAME.matcher(parts[0].trim()).matches()
                        || factors.containsKey(parts[0].trim())) {
                        throw new InvalidConfigurationException(key, value, SYNTAX);
                    }
                    factors.put(parts[0].trim(), factor(key, value, parts[1].trim()));
                }
                return new Replication(NETWORK_TOPOLOGY_STRATEGY, factors);
            }
            throw new InvalidConfigurationException(key, value, SYNTAX);
        }

        private static int factor(String key, String value, String factor) {
            if (!FACTOR.matcher(factor).matches() || Integer.parseInt(factor) < 1) {
                throw new InvalidConfigurationException(key, value, "a replication factor is a whole number from 1 to 99; " + SYNTAX);
            }
            return Integer.parseInt(factor);
        }

        public String strategy() {
            return strategy;
        }

        /** {@code replication_factor} for SimpleStrategy, else data center to replication factor. */
        public Map<String, Integer> factors() {
            return factors;
        }

        /** The CQL map literal of {@code CREATE KEYSPACE ... WITH replication = ...}; every part was validated. */
        String asCqlMap() {
            return factors.entrySet().stream()
                .map(entry -> "'" + entry.getKey() + "': " + entry.getValue())
                .collect(Collectors.joining(", ", "{'class': '" + strategy + "', ", "}"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Replication && strategy.equals(((Replication) o).strategy) && factors.equals(((Replication) o).factors);
        }

        @Override
        public int hashCode() {
            return Objects.hash(strategy, factors);
        }

        @Override
        public String toString() {
            if (strategy.equals(SIMPLE_STRATEGY)) {
                return strategy + ":" + factors.get("replication_factor");
            }
            return factors.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(",", strategy + ":", ""));
        }
    }
}
