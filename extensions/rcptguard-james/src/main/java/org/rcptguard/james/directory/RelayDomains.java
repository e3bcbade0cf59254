package org.rcptguard.james.directory;

import java.util.Set;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
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

    @Inject
    public RelayDomains(DirectoryConfiguration configuration, DomainList domainList) {
        this.named = configuration.domains().keySet();
        this.domainList = domainList;
    }

    /** Whether RcptGuard relays this domain (one James does not host); false if James cannot tell. */
    public boolean isRelayed(Domain domain) {
        if (!named.contains(domain.asString())) {
            return false;
        }
        try {
            return !domainList.containsDomain(domain);
        } catch (DomainListException e) {
            return false;
        }
    }
}
