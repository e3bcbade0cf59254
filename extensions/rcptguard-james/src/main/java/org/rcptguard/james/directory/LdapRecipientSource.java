package org.rcptguard.james.directory;

import java.time.Duration;
import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.directory.DirectoryConfiguration.LdapSettings;
import org.rcptguard.core.directory.RecipientSource;

/**
 * Valid recipients in an LDAP directory: VALID when the filter, {@code {0}} replaced by the address (escaped by JNDI
 * as a filter argument), matches an entry under the base; INVALID when it matches none. A connection, bind or search
 * failure throws (UNDECIDED). Uses the JDK's LDAP client with pooled connections and connect and read timeouts, so no
 * lookup waits longer than the directory's timeout.
 */
public final class LdapRecipientSource implements RecipientSource {
    private final LdapSettings settings;
    private final Hashtable<String, String> environment = new Hashtable<>();
    private final int timeLimitMillis;

    public LdapRecipientSource(LdapSettings settings, Duration timeout) {
        this.settings = settings;
        String millis = String.valueOf(Math.max(1, timeout.toMillis()));
        this.timeLimitMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        environment.put(Context.PROVIDER_URL, settings.url());
        environment.put("com.sun.jndi.ldap.connect.timeout", millis);
        environment.put("com.sun.jndi.ldap.read.timeout", millis);
        environment.put("com.sun.jndi.ldap.connect.pool", "true");
        environment.put(Context.REFERRAL, "ignore");
        if (settings.bindDn().isPresent()) {
            environment.put(Context.SECURITY_AUTHENTICATION, "simple");
            environment.put(Context.SECURITY_PRINCIPAL, settings.bindDn().get());
            environment.put(Context.SECURITY_CREDENTIALS, settings.bindPassword().orElse(""));
        } else {
            environment.put(Context.SECURITY_AUTHENTICATION, "none");
        }
    }

    @Override
    public RecipientClass classify(String address) throws NamingException {
        DirContext context = new InitialDirContext(environment);
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setCountLimit(1);
            controls.setTimeLimit(timeLimitMillis);
            controls.setReturningAttributes(new String[0]);
            NamingEnumeration<SearchResult> results = context.search(settings.base(), settings.filter(), new Object[] {address}, controls);
            try {
                return results.hasMore() ? RecipientClass.VALID : RecipientClass.INVALID;
            } finally {
                closeQuietly(results);
            }
        } finally {
            context.close();
        }
    }

    private static void closeQuietly(NamingEnumeration<?> results) {
        try {
            results.close();
        } catch (NamingException e) {
            // a size limit reached after the first entry: the answer is already known
        }
    }
}
