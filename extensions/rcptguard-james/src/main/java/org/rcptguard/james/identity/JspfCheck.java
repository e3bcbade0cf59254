package org.rcptguard.james.identity;

import java.util.Locale;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.jspf.core.DNSServiceEnabled;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.MacroExpandEnabled;
import org.apache.james.jspf.core.SPFCheckEnabled;
import org.apache.james.jspf.executor.SynchronousSPFExecutor;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.impl.SPF;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.apache.james.jspf.wiring.WiringServiceTable;
import org.rcptguard.core.identity.IdentityQuery;
import org.rcptguard.core.identity.SpfCheck;
import org.rcptguard.core.identity.SpfResult;

/**
 * The SPF check of James's own SPF implementation (jSPF, RFC 7208), asking James's DNS service.
 *
 * <p>Wired with jSPF's synchronous executor: the asynchronous one that {@code new SPF(dns)} uses in jSPF 1.0.3 does
 * not wait for a look-up's answer before the next step, nor follow the look-up an answer asks for (an SPF-type query
 * that finds nothing is never followed by the TXT query), so every record it sees is {@code none}. The evaluation
 * runs on the identity resolver's own threads, bounded in time, so blocking there is what is wanted.
 */
public final class JspfCheck implements SpfCheck {
    private final SPF spf;

    @Inject
    public JspfCheck(DNSService dns) {
        JamesSpfDns spfDns = new JamesSpfDns(dns);
        MacroExpand macroExpand = new MacroExpand(spfDns);
        WiringServiceTable wiring = new WiringServiceTable();
        wiring.put(DNSServiceEnabled.class, spfDns);
        wiring.put(MacroExpandEnabled.class, macroExpand);
        this.spf = new SPF(spfDns, new RFC4408SPF1Parser(new DefaultTermsFactory(wiring)), macroExpand, new SynchronousSPFExecutor(spfDns));
        // include: and redirect= evaluate the included record with this same SPF.
        wiring.put(SPFCheckEnabled.class, spf);
    }

    @Override
    public SpfResult check(IdentityQuery query) {
        try {
            // jSPF checks postmaster@<helo> for the empty sender, as RFC 7208 asks.
            String result = spf.checkSPF(query.client().getHostAddress(), query.sender(), query.helo()).getResult();
            return result == null ? SpfResult.TEMPERROR : SpfResult.valueOf(result.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return SpfResult.TEMPERROR;
        }
    }
}
