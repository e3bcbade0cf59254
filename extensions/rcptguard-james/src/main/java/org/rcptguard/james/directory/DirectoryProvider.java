package org.rcptguard.james.directory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Provider;

import java.nio.file.Paths;

import org.apache.james.core.Domain;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.BoundedLookup;
import org.rcptguard.core.directory.CallForwardSource;
import org.rcptguard.core.directory.CircuitBreakingSource;
import org.rcptguard.core.directory.DeliveryRefusals;
import org.rcptguard.core.memory.MemoryVerificationCache;
import org.rcptguard.core.directory.VerificationCache;
import org.rcptguard.core.directory.DirectoryConfiguration;
import org.rcptguard.core.directory.DirectoryConfiguration.DomainSources;
import org.rcptguard.core.directory.DomainDirectory;
import org.rcptguard.core.directory.SourceChain;
import org.rcptguard.core.directory.StaticRecipientList;
import org.rcptguard.james.JamesRecipientDirectory;
import org.rcptguard.james.RcptGuardMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds RcptGuard's {@link RecipientDirectory} from the {@code directory.*} settings: James alone when there are
 * none; otherwise each named domain's chain of sources (James, a static list, LDAP, SMTP verification with its
 * cache) behind one {@link BoundedLookup}. The verification cache is the one {@link VerificationCacheProvider} gives.
 * A relative list path is resolved against James's working directory (system property {@code working.directory},
 * where {@code conf/} is).
 */
public class DirectoryProvider implements Provider<RecipientDirectory> {
    private static final Logger LOGGER = LoggerFactory.getLogger(DirectoryProvider.class);

    private final JamesRecipientDirectory james;
    private final DirectoryConfiguration configuration;
    private final DirectoryStatus directoryStatus;
    private final BoundedLookup lookup;
    private final Provider<VerificationCache> verificationCache;
    private final Optional<RcptGuardMetrics> metrics;

    @Inject
    public DirectoryProvider(JamesRecipientDirectory james, DirectoryConfiguration configuration, DirectoryStatus directoryStatus,
                             BoundedLookup lookup, Provider<VerificationCache> verificationCache, RcptGuardMetrics metrics) {
        this(james, configuration, directoryStatus, lookup, verificationCache, Optional.of(metrics));
    }

    /** Without metrics. */
    public DirectoryProvider(JamesRecipientDirectory james, DirectoryConfiguration configuration, DirectoryStatus directoryStatus,
                             BoundedLookup lookup, Provider<VerificationCache> verificationCache) {
        this(james, configuration, directoryStatus, lookup, verificationCache, Optional.empty());
    }

    private DirectoryProvider(JamesRecipientDirectory james, DirectoryConfiguration configuration, DirectoryStatus directoryStatus,
                              BoundedLookup lookup, Provider<VerificationCache> verificationCache,
                              Optional<RcptGuardMetrics> metrics) {
        this.james = james;
        this.configuration = configuration;
        this.directoryStatus = directoryStatus;
        this.lookup = lookup;
        this.verificationCache = verificationCache;
        this.metrics = metrics;
    }

    @Override
    public RecipientDirectory get() {
        metrics.ifPresent(registered -> registered.registerCatchAllGauge(() -> directoryStatus.catchAllDomains().size()));
        return build(configuration, james, Paths.get(System.getProperty("working.directory", ".")), directoryStatus,
            unused -> metered(verificationCache.get()), () -> metrics.ifPresent(RcptGuardMetrics::recordCatchAllDetection),
            lookup);
    }

    private VerificationCache metered(VerificationCache cache) {
        return metrics.<VerificationCache>map(registered -> new MeteredVerificationCache(cache, registered)).orElse(cache);
    }

    public static VerificationCache memoryCache(DirectoryConfiguration configuration) {
        return new MemoryVerificationCache(Clock.systemUTC(), configuration.cacheMaxEntries());
    }

    public static RecipientDirectory build(DirectoryConfiguration configuration, RecipientDirectory james, Path baseDirectory,
                                           DirectoryStatus directoryStatus,
                                           Function<DirectoryConfiguration, VerificationCache> cacheFactory) {
        return build(configuration, james, baseDirectory, directoryStatus, cacheFactory, () -> { });
    }

    /** {@code onCatchAllDetected} runs each time a backend is newly found to be a catch-all. */
    public static RecipientDirectory build(DirectoryConfiguration configuration, RecipientDirectory james, Path baseDirectory,
                                           DirectoryStatus directoryStatus,
                                           Function<DirectoryConfiguration, VerificationCache> cacheFactory,
                                           Runnable onCatchAllDetected) {
        return build(configuration, james, baseDirectory, directoryStatus, cacheFactory, onCatchAllDetected,
            new BoundedLookup(configuration.timeout(), configuration.maxConcurrent()));
    }

    private static RecipientDirectory build(DirectoryConfiguration configuration, RecipientDirectory james, Path baseDirectory,
                                            DirectoryStatus directoryStatus,
                                            Function<DirectoryConfiguration, VerificationCache> cacheFactory,
                                            Runnable onCatchAllDetected, BoundedLookup lookup) {
        if (configuration.domains().isEmpty()) {
            return james;
        }
        Map<Domain, RecipientDirectory> chains = new HashMap<>();
        List<CallForwardSource> callForwards = new ArrayList<>();
        List<CircuitBreakingSource> breakers = new ArrayList<>();
        boolean verifies = configuration.domains().values().stream()
            .anyMatch(domain -> domain.sources().contains(DirectoryConfiguration.SourceKind.SMTP));
        VerificationCache cache = verifies || configuration.delivers() ? cacheFactory.apply(configuration) : null;
        for (DomainSources domain : configuration.domains().values()) {
            List<SourceChain.Named> sources = new ArrayList<>();
            for (DirectoryConfiguration.SourceKind kind : domain.sources()) {
                switch (kind) {
                    case JAMES:
                        sources.add(new SourceChain.Named("james", james));
                        break;
                    case LIST:
                        Path file = baseDirectory.resolve(domain.listFile().orElseThrow());
                        StaticRecipientList list = new StaticRecipientList(file, configuration.listCheckInterval());
                        list.current();
                        sources.add(new SourceChain.Named("list " + file.getFileName(), list));
                        break;
                    case LDAP:
                        String ldapName = "ldap " + domain.ldap().orElseThrow().url();
                        CircuitBreakingSource ldap = breaker(ldapName,
                            new LdapRecipientSource(domain.ldap().orElseThrow(), configuration.timeout(), configuration.maxConcurrent()));
                        breakers.add(ldap);
                        sources.add(new SourceChain.Named(ldapName, ldap));
                        break;
                    case SMTP:
                        RcptGuardSettings.HostPort backend = domain.smtp().orElseThrow();
                        CallForwardSource callForward = new CallForwardSource(Domain.of(domain.domain()),
                            new SmtpCallForward(backend.host(), backend.port(), helo(configuration), configuration.timeout()),
                            cache, configuration.positiveTtl(), configuration.negativeTtl());
                        callForward.onCatchAllDetected(onCatchAllDetected);
                        callForwards.add(callForward);
                        String smtpName = "smtp " + backend.host() + ":" + backend.port();
                        CircuitBreakingSource smtp = breaker(smtpName, callForward);
                        breakers.add(smtp);
                        sources.add(new SourceChain.Named(smtpName, smtp));
                        break;
                    default:
                        throw new IllegalStateException(kind.toString());
                }
            }
            SourceChain chain = new SourceChain(domain.domain(), sources);
            chains.put(Domain.of(domain.domain()), domain.inlineBackend().isPresent() ? new DeliveryRefusals(chain, cache) : chain);
            LOGGER.info("RcptGuard directory of {}: {}", domain.domain(), domain.sources());
        }
        directoryStatus.register(callForwards, breakers, cache);
        probeInBackground(callForwards);
        return new DomainDirectory(james, chains, lookup);
    }

    /** The name given in EHLO to backends: {@code directory.smtp.helo}, else this host's name. */
    public static String helo(DirectoryConfiguration configuration) {
        return configuration.smtpHelo().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
    }

    /** Three failures in a row: skipped (UNDECIDED at once) for 5 s at a time, so an outage does not hold SMTP threads. */
    private static CircuitBreakingSource breaker(String name, RecipientDirectory source) {
        return new CircuitBreakingSource(name, source, 3, Duration.ofSeconds(5));
    }

    /** Learns whether each backend is a catch-all before the first lookup needs it, without delaying James's start. */
    private static void probeInBackground(List<CallForwardSource> callForwards) {
        if (callForwards.isEmpty()) {
            return;
        }
        Thread probes = new Thread(() -> callForwards.forEach(source -> {
            try {
                if (source.probeCatchAll().isEmpty()) {
                    LOGGER.warn("The backend of {} did not answer the catch-all probe at start-up", source.domain().asString());
                }
            } catch (Exception e) {
                LOGGER.warn("The backend of {} could not be probed at start-up: {}", source.domain().asString(), e.toString());
            }
        }), "rcptguard-catch-all-probe");
        probes.setDaemon(true);
        probes.start();
    }
}
