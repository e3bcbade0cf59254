package org.rcptguard.core.directory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.rcptguard.core.Addresses;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients verified against the domain's backend (call-forward), with the answers in a {@link VerificationCache}:
 * VALID for {@code positiveTtl}, INVALID for {@code negativeTtl}; UNDECIDED is never cached. Concurrent lookups of one
 * address on this node make one check and share its answer.
 *
 * <p>Catch-all: a backend that accepts any address tells nothing. Before a VALID answer counts, the backend is asked
 * about a random address of the domain (once per {@code negativeTtl}, the result cached as {@code @domain}); if it
 * accepts it, the domain is a catch-all: logged as an error, reported by {@link #catchAllDetected()}, and its VALID
 * answers are UNDECIDED (4xx), never a 250 for an address nobody verified.
 */
public final class CallForwardSource implements RecipientDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(CallForwardSource.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Domain domain;
    private final RecipientDirectory backend;
    private final VerificationCache cache;
    private final Duration positiveTtl;
    private final Duration negativeTtl;
    private final ConcurrentHashMap<String, CompletableFuture<RecipientClass>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong catchAllDetections = new AtomicLong();
    private volatile boolean catchAllDetected;
    private volatile Runnable catchAllListener = () -> { };

    /** @param backend the domain's SMTP backend, asked about one address a connection ({@code SmtpCallForward}) */
    public CallForwardSource(Domain domain, RecipientDirectory backend, VerificationCache cache, Duration positiveTtl,
                             Duration negativeTtl) {
        this.domain = domain;
        this.backend = backend;
        this.cache = cache;
        this.positiveTtl = positiveTtl;
        this.negativeTtl = negativeTtl;
    }

    /**
     * The backend's answer, saying whether it came from the cache and why: {@code backend accepted},
     * {@code backend refused}, {@code catch-all backend}, {@code catch-all status unknown}, {@code backend did not answer}.
     */
    @Override
    public DirectoryAnswer lookUp(MailAddress address) throws Exception {
        String key = Addresses.key(address);
        Optional<RecipientClass> cached = cache.find(key);
        RecipientClass answer = cached.isEmpty() ? classifyUncached(key)
            : cached.get() == RecipientClass.VALID ? unlessCatchAll(key) : cached.get();
        String reason;
        if (answer == RecipientClass.VALID) {
            reason = "backend accepted";
        } else if (answer == RecipientClass.INVALID) {
            reason = "backend refused";
        } else if (catchAllDetected) {
            reason = "catch-all backend";
        } else if (cached.orElse(RecipientClass.UNDECIDED) == RecipientClass.VALID || cache.find(key).isPresent()) {
            reason = "catch-all status unknown";
        } else {
            reason = "backend did not answer";
        }
        return new DirectoryAnswer(answer, null, cached.isPresent(), reason);
    }

    private RecipientClass classifyUncached(String key) throws Exception {
        CompletableFuture<RecipientClass> mine = new CompletableFuture<>();
        CompletableFuture<RecipientClass> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            RecipientClass answer = check(key);
            mine.complete(answer);
            return answer;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private RecipientClass check(String key) throws Exception {
        checks.incrementAndGet();
        RecipientClass answer = backend.classify(new MailAddress(key));
        if (answer == RecipientClass.INVALID) {
            cache.save(key, answer, negativeTtl);
            return answer;
        }
        if (answer == RecipientClass.VALID) {
            cache.save(key, answer, positiveTtl);
            return unlessCatchAll(key);
        }
        return RecipientClass.UNDECIDED;
    }

    /** VALID, unless the backend accepts anything (or whether it does is not known yet): then UNDECIDED. */
    private RecipientClass unlessCatchAll(String key) throws Exception {
        Optional<RecipientClass> status = cache.find(statusKey());
        if (status.isEmpty()) {
            status = probeCatchAll();
            if (status.isEmpty()) {
                return RecipientClass.UNDECIDED;
            }
        }
        boolean catchAll = status.get() == RecipientClass.VALID;
        if (catchAll && !catchAllDetected) {
            reportCatchAll();
        } else if (!catchAll && catchAllDetected) {
            LOGGER.info("The backend of {} refuses unknown addresses again", domain.asString());
        }
        catchAllDetected = catchAll;
        return catchAll ? RecipientClass.UNDECIDED : RecipientClass.VALID;
    }

    /**
     * Asks the backend about a random address of the domain and caches the result as {@code @domain} (VALID: a
     * catch-all; INVALID: it refuses unknown addresses) for the negative TTL; empty if the backend did not answer.
     * Called on demand, and at start-up in the background so that the first real lookup need not wait for it.
     */
    public Optional<RecipientClass> probeCatchAll() throws Exception {
        checks.incrementAndGet();
        MailAddress probe = new MailAddress("rcptguard-probe-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE), domain);
        RecipientClass probed = backend.classify(probe);
        if (probed == RecipientClass.UNDECIDED) {
            return Optional.empty();
        }
        cache.save(statusKey(), probed, negativeTtl);
        if (probed == RecipientClass.VALID && !catchAllDetected) {
            catchAllDetected = true;
            reportCatchAll();
        }
        return Optional.of(probed);
    }

    private void reportCatchAll() {
        catchAllDetections.incrementAndGet();
        catchAllListener.run();
        LOGGER.error("The backend of {} accepts any address (catch-all): its answers are not counted as valid, "
            + "every recipient of {} checked against it is deferred. Give the domain another source (list, ldap)",
            domain.asString(), domain.asString());
    }

    private String statusKey() {
        return "@" + domain.asString();
    }

    private static RecipientClass await(CompletableFuture<RecipientClass> running) throws Exception {
        try {
            return running.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    /** Whether the backend was last seen accepting a random address (for logs, health check and metrics). */
    public boolean catchAllDetected() {
        return catchAllDetected;
    }

    /** Times the backend was newly found accepting any address (a catch-all), since start. */
    public long catchAllDetections() {
        return catchAllDetections.get();
    }

    /** Called each time the backend is newly found to be a catch-all (for a metric); must be quick and not throw. */
    public void onCatchAllDetected(Runnable listener) {
        this.catchAllListener = listener;
    }

    /** Checks made against the backend (catch-all probes included), for tests and metrics. */
    public long checks() {
        return checks.get();
    }

    public Domain domain() {
        return domain;
    }
}
