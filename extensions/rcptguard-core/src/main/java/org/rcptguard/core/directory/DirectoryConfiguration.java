package org.rcptguard.core.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.rcptguard.core.Addresses;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RcptGuardSettings.HostPort;

/**
 * The {@code directory.*} settings of {@code conf/rcptguard.properties}: where the valid recipients of each domain
 * come from. Domains James hosts (its {@code DomainList}) and not named here are looked up in James alone, as before.
 * A domain named in {@code directory.domains} is governed by RcptGuard whether James hosts it or only relays it
 * (a gateway domain), and its recipients are looked up in its sources, in the order given:
 *
 * <pre>
 * directory.domains=example.net,example.org
 *
 * # sources, in order: james | list | ldap   (the first VALID answer wins; INVALID only if all say INVALID;
 * # anything else, a failure or a timeout included, is UNDECIDED: 451 4.3.0)
 * directory.example.net.sources=list
 * directory.example.net.list=conf/recipients-example.net.txt       (relative paths: from James's working directory)
 *
 * directory.example.org.sources=ldap
 * directory.example.org.ldap.url=ldap://ldap.example.org:389        (several, space-separated, are tried in turn)
 * directory.example.org.ldap.base=ou=people,dc=example,dc=org
 * directory.example.org.ldap.filter=(|(mail={0})(mailAlternateAddress={0}))   ({0}: the address; default (mail={0}))
 * directory.example.org.ldap.bind.dn=cn=rcptguard,dc=example,dc=org             (optional: anonymous without it)
 * directory.example.org.ldap.bind.password=secret
 *
 * directory.example.com.sources=smtp                              (call-forward: MAIL FROM:&lt;&gt;, RCPT TO, QUIT)
 * directory.example.com.smtp.host=backend.example.com:25            (port 25 when omitted; [2001:db8::1]:25 for IPv6)
 *
 * # For every domain named above:
 * directory.timeout=1s            one lookup (all sources of a domain) gets this long, then it is UNDECIDED
 * directory.max.concurrent=16     lookups in flight at once; beyond, UNDECIDED at once instead of waiting
 * directory.background.threads=2  per domain, for the look-ups no reply waits for (before a triplet passed)
 * directory.background.queue=1000 per domain, those look-ups queued at most; beyond, dropped and counted
 * directory.list.check.interval=2s   how often a list file is checked for changes
 * directory.cache.positive.ttl=24h   how long a backend's 250 is believed (SMTP verification)
 * directory.cache.negative.ttl=1h    how long its 550/551/553 is, and how often a backend is probed for catch-all
 * directory.cache.max.entries=100000 cap of the in-memory verification cache
 * directory.smtp.helo=mx1.example.com   the EHLO name given to backends (default: this host's name)
 *
 * # Delivery of a domain with an SMTP backend (smtp.host): queue (James queues, then relays) or inline (relayed to
 * # the backend inside the client's session, at the end of DATA; the client hears the backend's verdict)
 * directory.example.com.delivery=inline           (default queue)
 * directory.inline.connect.timeout=10s    connecting to a backend and its greeting
 * directory.inline.command.timeout=60s    each reply of EHLO, MAIL, RCPT, DATA
 * directory.inline.data.timeout=180s      sending the message and the backend's reply to its end
 * directory.inline.max.sessions=16        relays in flight at once per backend; beyond, 451 at once
 * directory.inline.starttls=opportunistic   STARTTLS when the backend offers it (no certificate check, RFC 7435);
 *                                           required: never relay in clear (451); off: never
 * </pre>
 */
public final class DirectoryConfiguration {
    public static final String PREFIX = "directory.";
    public static final String DOMAINS = "directory.domains";
    public static final String TIMEOUT = "directory.timeout";
    public static final String MAX_CONCURRENT = "directory.max.concurrent";
    public static final String BACKGROUND_THREADS = "directory.background.threads";
    public static final String BACKGROUND_QUEUE = "directory.background.queue";
    public static final String LIST_CHECK_INTERVAL = "directory.list.check.interval";
    public static final String CACHE_POSITIVE_TTL = "directory.cache.positive.ttl";
    public static final String CACHE_NEGATIVE_TTL = "directory.cache.negative.ttl";
    public static final String CACHE_MAX_ENTRIES = "directory.cache.max.entries";
    public static final String SMTP_HELO = "directory.smtp.helo";
    public static final String INLINE_CONNECT_TIMEOUT = "directory.inline.connect.timeout";
    public static final String INLINE_COMMAND_TIMEOUT = "directory.inline.command.timeout";
    public static final String INLINE_DATA_TIMEOUT = "directory.inline.data.timeout";
    public static final String INLINE_MAX_SESSIONS = "directory.inline.max.sessions";
    public static final String INLINE_STARTTLS = "directory.inline.starttls";
    private static final Set<String> GLOBAL_KEYS = Set.of(DOMAINS, TIMEOUT, MAX_CONCURRENT, BACKGROUND_THREADS,
        BACKGROUND_QUEUE, LIST_CHECK_INTERVAL, CACHE_POSITIVE_TTL, CACHE_NEGATIVE_TTL, CACHE_MAX_ENTRIES, SMTP_HELO,
        INLINE_CONNECT_TIMEOUT, INLINE_COMMAND_TIMEOUT, INLINE_DATA_TIMEOUT, INLINE_MAX_SESSIONS, INLINE_STARTTLS);
    private static final List<String> DOMAIN_KEYS = List.of("sources", "list", "ldap.url", "ldap.base", "ldap.filter",
        "ldap.bind.dn", "ldap.bind.password", "smtp.host", "delivery");

    /** How accepted mail reaches a domain's backend. */
    public enum Delivery {
        /** James queues the message and its mailets relay it (RemoteDelivery's gateway). */
        QUEUE,
        /** Relayed to the backend inside the client's session: the client hears the backend's verdict. */
        INLINE;

        static Delivery parse(String key, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(key, value, "expected queue or inline");
            }
        }
    }

    /** Whether an in-line relay encrypts its session with STARTTLS. */
    public enum StartTls {
        /** Never. */
        OFF,
        /** When the backend offers it, without checking its certificate (RFC 7435), as MTAs relay by default. */
        OPPORTUNISTIC,
        /** Always: a backend that does not offer it is not relayed to (451). */
        REQUIRED;

        static StartTls parse(String key, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(key, value, "expected off, opportunistic or required");
            }
        }
    }

    /** The bounds of every in-line relay, and its use of STARTTLS. */
    public static final class InlineBounds {
        private final Duration connectTimeout;
        private final Duration commandTimeout;
        private final Duration dataTimeout;
        private final int maxSessions;
        private final StartTls startTls;

        public InlineBounds(Duration connectTimeout, Duration commandTimeout, Duration dataTimeout, int maxSessions,
                            StartTls startTls) {
            this.connectTimeout = connectTimeout;
            this.commandTimeout = commandTimeout;
            this.dataTimeout = dataTimeout;
            this.maxSessions = maxSessions;
            this.startTls = startTls;
        }

        public StartTls startTls() {
            return startTls;
        }

        public Duration connectTimeout() {
            return connectTimeout;
        }

        public Duration commandTimeout() {
            return commandTimeout;
        }

        public Duration dataTimeout() {
            return dataTimeout;
        }

        /** Relays in flight at once to one backend. */
        public int maxSessions() {
            return maxSessions;
        }
    }

    /** A kind of source. */
    public enum SourceKind {
        JAMES, LIST, LDAP, SMTP;

        static SourceKind parse(String key, String item, String value) {
            try {
                return valueOf(item.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(key, value, "unknown source " + item + ": expected a comma-separated list of james, list, ldap, smtp");
            }
        }
    }

    /** LDAP settings of one domain. */
    public static final class LdapSettings {
        private final String url;
        private final String base;
        private final String filter;
        private final Optional<String> bindDn;
        private final Optional<String> bindPassword;

        LdapSettings(String url, String base, String filter, Optional<String> bindDn, Optional<String> bindPassword) {
            this.url = url;
            this.base = base;
            this.filter = filter;
            this.bindDn = bindDn;
            this.bindPassword = bindPassword;
        }

        public String url() {
            return url;
        }

        public String base() {
            return base;
        }

        /** An LDAP filter where {@code {0}} stands for the address. */
        public String filter() {
            return filter;
        }

        public Optional<String> bindDn() {
            return bindDn;
        }

        public Optional<String> bindPassword() {
            return bindPassword;
        }
    }

    /** The sources of one domain, in order. */
    public static final class DomainSources {
        private final String domain;
        private final List<SourceKind> sources;
        private final Optional<String> listFile;
        private final Optional<LdapSettings> ldap;
        private final Optional<HostPort> smtp;
        private final Delivery delivery;

        DomainSources(String domain, List<SourceKind> sources, Optional<String> listFile, Optional<LdapSettings> ldap,
                      Optional<HostPort> smtp, Delivery delivery) {
            this.domain = domain;
            this.sources = List.copyOf(sources);
            this.listFile = listFile;
            this.ldap = ldap;
            this.smtp = smtp;
            this.delivery = delivery;
        }

        /** The domain's SMTP backend: verified against with the source smtp, delivered to in-line. */
        public Optional<HostPort> smtp() {
            return smtp;
        }

        public Delivery delivery() {
            return delivery;
        }

        /** The backend messages are relayed to in-line, if the domain's delivery is inline. */
        public Optional<HostPort> inlineBackend() {
            return delivery == Delivery.INLINE ? smtp : Optional.empty();
        }

        public String domain() {
            return domain;
        }

        public List<SourceKind> sources() {
            return sources;
        }

        public Optional<String> listFile() {
            return listFile;
        }

        public Optional<LdapSettings> ldap() {
            return ldap;
        }
    }

    private final Map<String, DomainSources> domains;
    private final Duration timeout;
    private final int maxConcurrent;
    private final int backgroundThreads;
    private final int backgroundQueue;
    private final Duration listCheckInterval;
    private final Duration positiveTtl;
    private final Duration negativeTtl;
    private final int cacheMaxEntries;
    private final Optional<String> smtpHelo;
    private final InlineBounds inline;

    private DirectoryConfiguration(RcptGuardSettings settings) {
        Map<String, DomainSources> parsed = new LinkedHashMap<>();
        for (String item : settings.value(DOMAINS, "").split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            String domain;
            try {
                domain = Addresses.domain(item).asString();
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(DOMAINS, item, "expected domain names such as example.net");
            }
            parsed.put(domain, domainSources(settings, domain));
        }
        this.domains = Map.copyOf(parsed);
        Set<String> known = new TreeSet<>(GLOBAL_KEYS);
        domains.keySet().forEach(domain -> DOMAIN_KEYS.forEach(suffix -> known.add(PREFIX + domain + "." + suffix)));
        settings.rejectUnknownKeys(PREFIX, known, String.join(", ", new TreeSet<>(GLOBAL_KEYS))
            + ", and for each domain of " + DOMAINS + ": directory.DOMAIN." + String.join(", directory.DOMAIN.", DOMAIN_KEYS));
        this.timeout = settings.duration(TIMEOUT, "1s");
        this.maxConcurrent = settings.integer(MAX_CONCURRENT, "16", 1, 1000);
        this.backgroundThreads = settings.integer(BACKGROUND_THREADS, "2", 1, 1000);
        this.backgroundQueue = settings.integer(BACKGROUND_QUEUE, "1000", 1, 10_000_000);
        this.listCheckInterval = settings.durationOrZero(LIST_CHECK_INTERVAL, "2s");
        this.positiveTtl = settings.duration(CACHE_POSITIVE_TTL, "24h");
        this.negativeTtl = settings.duration(CACHE_NEGATIVE_TTL, "1h");
        this.cacheMaxEntries = settings.integer(CACHE_MAX_ENTRIES, "100000", 100, Integer.MAX_VALUE);
        this.smtpHelo = settings.value(SMTP_HELO);
        this.inline = new InlineBounds(settings.duration(INLINE_CONNECT_TIMEOUT, "10s"),
            settings.duration(INLINE_COMMAND_TIMEOUT, "60s"), settings.duration(INLINE_DATA_TIMEOUT, "180s"),
            settings.integer(INLINE_MAX_SESSIONS, "16", 1, 10000),
            StartTls.parse(INLINE_STARTTLS, settings.value(INLINE_STARTTLS, "opportunistic")));
    }

    public static DirectoryConfiguration from(RcptGuardSettings settings) {
        return new DirectoryConfiguration(settings);
    }

    /** For tests and tools: {@code properties} read as James reads {@code conf/rcptguard.properties}. */
    public static DirectoryConfiguration fromProperties(Properties properties) {
        return from(RcptGuardSettings.of(properties));
    }

    private static DomainSources domainSources(RcptGuardSettings settings, String domain) {
        String sourcesKey = PREFIX + domain + ".sources";
        String sourcesValue = settings.value(sourcesKey).orElseThrow(() ->
            new InvalidConfigurationException(sourcesKey, "", "every domain of " + DOMAINS
                + " needs its sources: james, list, ldap, smtp (comma-separated, in order)"));
        List<SourceKind> sources = new ArrayList<>();
        for (String item : sourcesValue.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                SourceKind kind = SourceKind.parse(sourcesKey, item, sourcesValue);
                if (sources.contains(kind)) {
                    throw new InvalidConfigurationException(sourcesKey, sourcesValue, item + " is named twice");
                }
                sources.add(kind);
            }
        }
        if (sources.isEmpty()) {
            throw new InvalidConfigurationException(sourcesKey, sourcesValue, "expected a comma-separated list of james, list, ldap, smtp");
        }
        String listKey = PREFIX + domain + ".list";
        Optional<String> listFile = settings.value(listKey);
        if (sources.contains(SourceKind.LIST) && listFile.isEmpty()) {
            throw new InvalidConfigurationException(listKey, "", "the source list of " + domain + " needs its file");
        }
        Optional<LdapSettings> ldap = sources.contains(SourceKind.LDAP) ? Optional.of(ldap(settings, domain)) : Optional.empty();
        String deliveryKey = PREFIX + domain + ".delivery";
        Delivery delivery = settings.value(deliveryKey).map(value -> Delivery.parse(deliveryKey, value)).orElse(Delivery.QUEUE);
        Optional<HostPort> smtp = Optional.empty();
        if (sources.contains(SourceKind.SMTP) || delivery == Delivery.INLINE) {
            String hostKey = PREFIX + domain + ".smtp.host";
            String needs = sources.contains(SourceKind.SMTP) ? "the source smtp of " : "inline delivery to ";
            String hostValue = settings.value(hostKey).orElseThrow(() ->
                new InvalidConfigurationException(hostKey, "", needs + domain + " needs its backend, e.g. backend.example.net:25"));
            smtp = Optional.of(RcptGuardSettings.hostPort(hostValue, 25).orElseThrow(() ->
                new InvalidConfigurationException(hostKey, hostValue, "expected host or host:port, e.g. backend.example.net:25")));
        }
        return new DomainSources(domain, sources, listFile, ldap, smtp, delivery);
    }

    private static LdapSettings ldap(RcptGuardSettings settings, String domain) {
        String urlKey = PREFIX + domain + ".ldap.url";
        String url = settings.value(urlKey).orElseThrow(() ->
            new InvalidConfigurationException(urlKey, "", "the source ldap of " + domain + " needs its server, e.g. ldap://ldap.example.net:389"));
        for (String each : url.split("\\s+")) {
            if (!each.startsWith("ldap://") && !each.startsWith("ldaps://")) {
                throw new InvalidConfigurationException(urlKey, url, "expected ldap://host:port or ldaps://host:port");
            }
        }
        String baseKey = PREFIX + domain + ".ldap.base";
        String base = settings.value(baseKey).orElseThrow(() ->
            new InvalidConfigurationException(baseKey, "", "the source ldap of " + domain + " needs its search base, e.g. ou=people,dc=example,dc=net"));
        String filterKey = PREFIX + domain + ".ldap.filter";
        String filter = settings.value(filterKey).orElse("(mail={0})");
        if (!filter.contains("{0}") || !filter.startsWith("(") || !filter.endsWith(")")) {
            throw new InvalidConfigurationException(filterKey, filter, "expected an LDAP filter with {0} for the address, e.g. (mail={0})");
        }
        Optional<String> bindDn = settings.value(PREFIX + domain + ".ldap.bind.dn");
        Optional<String> bindPassword = settings.value(PREFIX + domain + ".ldap.bind.password");
        if (bindDn.isPresent() != bindPassword.isPresent()) {
            String key = PREFIX + domain + (bindDn.isPresent() ? ".ldap.bind.password" : ".ldap.bind.dn");
            throw new InvalidConfigurationException(key, "", "set both ldap.bind.dn and ldap.bind.password, or neither");
        }
        return new LdapSettings(url, base, filter, bindDn, bindPassword);
    }

    /** The domains named in {@code directory.domains}, lower case, with their sources. */
    public Map<String, DomainSources> domains() {
        return domains;
    }

    public boolean names(String domain) {
        return domains.containsKey(domain.toLowerCase(Locale.ROOT));
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Threads per recipient domain for the look-ups no reply waits for (scan detection's, before a triplet passed). */
    public int backgroundThreads() {
        return backgroundThreads;
    }

    /** Queued background look-ups per recipient domain; beyond it they are dropped and counted. */
    public int backgroundQueue() {
        return backgroundQueue;
    }

    public Duration listCheckInterval() {
        return listCheckInterval;
    }

    /** How long a VALID answer of SMTP verification is cached. */
    public Duration positiveTtl() {
        return positiveTtl;
    }

    /** How long an INVALID answer of SMTP verification (and a backend's catch-all status) is cached. */
    public Duration negativeTtl() {
        return negativeTtl;
    }

    public int cacheMaxEntries() {
        return cacheMaxEntries;
    }

    /** Timeouts and the session bound of in-line delivery. */
    public InlineBounds inline() {
        return inline;
    }

    /** Whether some domain is delivered in-line. */
    public boolean delivers() {
        return domains.values().stream().anyMatch(domain -> domain.delivery() == Delivery.INLINE);
    }

    /** The name RcptGuard gives in EHLO to a backend; empty: this host's name. */
    public Optional<String> smtpHelo() {
        return smtpHelo;
    }
}
