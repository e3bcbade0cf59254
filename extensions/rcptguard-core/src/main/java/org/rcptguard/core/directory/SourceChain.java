package org.rcptguard.core.directory;

import java.util.List;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.LogText;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources of one domain in their configured order. The first VALID answer wins; INVALID only when every source
 * answered INVALID; otherwise (a source failed or could not tell, and none said VALID) UNDECIDED. So a failing source
 * never turns a valid recipient into a 5xx, and never an unknown one into a 250.
 */
public final class SourceChain implements RecipientDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(SourceChain.class);

    private final String domain;
    private final List<Named> sources;

    /** A source and the name it is logged under ({@code list}, {@code ldap}, ...). */
    public static final class Named {
        final String name;
        final RecipientDirectory source;

        public Named(String name, RecipientDirectory source) {
            this.name = name;
            this.source = source;
        }

        /** The kind of source: the first word of its name ({@code list}, {@code ldap}, {@code smtp}, {@code james}). */
        public String kind() {
            int space = name.indexOf(' ');
            return space < 0 ? name : name.substring(0, space);
        }
    }

    public SourceChain(String domain, List<Named> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source for " + domain);
        }
        this.domain = domain;
        this.sources = List.copyOf(sources);
    }

    /**
     * The chain's answer, named after the source that decided it: the first VALID one; the last one when all said
     * INVALID; otherwise the first that could not tell (with its reason, e.g. a failure).
     */
    @Override
    public DirectoryAnswer lookUp(MailAddress address) {
        DirectoryAnswer undecided = null;
        DirectoryAnswer invalid = null;
        for (Named named : sources) {
            DirectoryAnswer answer;
            try {
                answer = named.source.lookUp(address).withSource(named.kind());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DirectoryAnswer.undecided(named.kind(), "interrupted");
            } catch (Exception e) {
                LOGGER.warn("Recipient source {} of {} failed on {}: {}", named.name, domain, LogText.escape(address), LogText.escape(e));
                answer = DirectoryAnswer.undecided(named.kind(), "failed: " + e);
            }
            if (answer.recipientClass() == RecipientClass.VALID) {
                return answer;
            }
            if (answer.recipientClass() == RecipientClass.INVALID) {
                invalid = answer;
            } else if (undecided == null) {
                undecided = answer;
            }
        }
        return undecided != null ? undecided : invalid;
    }

    public String domain() {
        return domain;
    }
}
