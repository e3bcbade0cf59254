package org.rcptguard.james.directory;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.SocketFactory;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.directory.DirectoryConfiguration.LdapSettings;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.util.ssl.SSLUtil;

/**
 * Valid recipients in an LDAP directory: VALID when the filter, {@code {0}} replaced by the address (escaped as a
 * filter value), matches an entry under the base; INVALID when it matches none. A connection, bind or search failure
 * throws (UNDECIDED). UnboundID's client, which James ships for its own LDAP users: a pool of at most
 * {@code maxConnections} bound connections, created on demand (a directory down at start does not stop James), a
 * connect and a response timeout, so no lookup waits longer than the directory's timeout.
 */
public final class LdapRecipientSource implements RecipientDirectory, AutoCloseable {
    private final LdapSettings settings;
    private final LDAPConnectionPool pool;
    private final int timeLimitSeconds;

    public LdapRecipientSource(LdapSettings settings, Duration timeout, int maxConnections) {
        this.settings = settings;
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        this.timeLimitSeconds = (int) Math.max(1, timeout.toSeconds());
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        options.setFollowReferrals(false);
        try {
            ServerSet server = servers(settings.url(), options);
            BindRequest bind = settings.bindDn().map(dn -> new SimpleBindRequest(dn, settings.bindPassword().orElse("")))
                .orElse(null);
            // No connection at start (throwOnConnectFailure false): each lookup connects as needed.
            this.pool = new LDAPConnectionPool(server, bind, 0, maxConnections, null, false);
        } catch (LDAPException | GeneralSecurityException e) {
            throw new IllegalArgumentException("LDAP source " + settings.url() + ": " + e.getMessage(), e);
        }
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
    }

    /** One server, or several tried in turn (the URLs space-separated). */
    private static ServerSet servers(String urls, LDAPConnectionOptions options) throws LDAPException, GeneralSecurityException {
        List<ServerSet> servers = new ArrayList<>();
        for (String each : urls.trim().split("\\s+")) {
            LDAPURL url = new LDAPURL(each);
            servers.add(new SingleServerSet(url.getHost(), url.getPort(), socketFactory(url), options));
        }
        return servers.size() == 1 ? servers.get(0) : new FailoverServerSet(servers);
    }

    private static SocketFactory socketFactory(LDAPURL url) throws GeneralSecurityException {
        return "ldaps".equalsIgnoreCase(url.getScheme()) ? new SSLUtil().createSSLSocketFactory() : SocketFactory.getDefault();
    }

    @Override
    public DirectoryAnswer lookUp(MailAddress recipient) throws LDAPException {
        Filter filter = Filter.create(settings.filter().replace("{0}", Filter.encodeValue(recipient.asString())));
        SearchRequest search = new SearchRequest(settings.base(), SearchScope.SUB, DereferencePolicy.NEVER, 1,
            timeLimitSeconds, false, filter, SearchRequest.NO_ATTRIBUTES);
        boolean found;
        try {
            found = pool.search(search).getEntryCount() > 0;
        } catch (LDAPSearchException e) {
            // More than one entry: the size limit of one is reached, the answer is known.
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw e;
            }
            found = e.getEntryCount() > 0;
        }
        return found ? new DirectoryAnswer(RecipientClass.VALID, null, false, "entry found")
            : new DirectoryAnswer(RecipientClass.INVALID, null, false, "no entry");
    }

    @Override
    public void close() {
        pool.close();
    }
}
