package org.rcptguard.james.directory;

import java.util.Locale;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Provider;
import javax.inject.Singleton;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.DirectoryConfiguration;

/**
 * The gateway domains: named in {@code directory.domains} but not hosted by James (not in its {@code DomainList}).
 * James's relay check refuses them to unauthenticated clients, so RcptGuard itself must accept a recipient of such a
 * domain once it has decided to let it through (a passed VALID recipient); the mailet container then relays it to the
 * domain's backend ({@code conf/gateway/mailetcontainer.xml}).
 */
@Singleton
public class RelayDomains {
    private final Set<String> named;
    private final DomainList domainList;
    private final Provider<RecipientDirectory> directory;

    @Inject
    public RelayDomains(DirectoryConfiguration configuration, DomainList domainList, Provider<RecipientDirectory> directory) {
        this.named = configuration.domains().keySet();
        this.domainList = domainList;
        this.directory = directory;
    }

    /**
     * For a client RcptGuard trusts without authentication (whitelisted, auto-whitelisted, opted-out recipient), whom
     * James's relay check would refuse a relay domain: the recipient's class, so that the hook accepts it outright
     * when VALID, refuses it (550 5.1.1) when INVALID and defers it (451 4.3.0) when UNDECIDED.
     */
    public RecipientClass classifyForTrustedClient(MailAddress recipient) {
        try {
            return directory.get().classify(recipient);
        } catch (Exception e) {
            return RecipientClass.UNDECIDED;
        }
    }

    /** Whether RcptGuard relays this recipient's domain (a domain James does not host); false if James cannot tell. */
    public boolean isRelayed(MailAddress recipient) {
        String domain = recipient.getDomain().asString().toLowerCase(Locale.ROOT);
        if (!named.contains(domain)) {
            return false;
        }
        try {
            return !domainList.containsDomain(Domain.of(domain));
        } catch (DomainListException e) {
            return false;
        }
    }
}
