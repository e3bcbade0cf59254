package org.rcptguard.core.directory;

import java.util.List;

import org.rcptguard.core.RecipientClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources of one domain in their configured order. The first VALID answer wins; INVALID only when every source
 * answered INVALID; otherwise (a source failed or could not tell, and none said VALID) UNDECIDED. So a failing source
 * never turns a valid recipient into a 5xx, and never an unknown one into a 250.
 */
public final class SourceChain implements RecipientSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(SourceChain.class);

    private final String domain;
    private final List<Named> sources;

    /** A source and the name it is logged under ({@code list}, {@code ldap}, ...). */
    public static final class Named {
        final String name;
        final RecipientSource source;

        public Named(String name, RecipientSource source) {
            this.name = name;
            this.source = source;
        }
    }

    public SourceChain(String domain, List<Named> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source for " + domain);
        }
        this.domain = domain;
        this.sources = List.copyOf(sources);
    }

    @Override
    public RecipientClass classify(String address) {
        boolean undecided = false;
        for (Named named : sources) {
            RecipientClass answer;
            try {
                answer = named.source.classify(address);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RecipientClass.UNDECIDED;
            } catch (Exception e) {
                LOGGER.warn("Recipient source {} of {} failed on {}: {}", named.name, domain, address, e.toString());
                answer = RecipientClass.UNDECIDED;
            }
            if (answer == RecipientClass.VALID) {
                return RecipientClass.VALID;
            }
            undecided |= answer != RecipientClass.INVALID;
        }
        return undecided ? RecipientClass.UNDECIDED : RecipientClass.INVALID;
    }

    public String domain() {
        return domain;
    }
}
