package org.rcptguard.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

/**
 * Reduces an envelope sender to the part that stays the same across retries, so that a retry matches its
 * triplet: lower case; SRS rewritten back to the original sender; the BATV {@code prvs=} tag removed;
 * the {@code +ext} removed; numeric VERP parts replaced by {@code #}.
 */
public final class SenderNormaliser {
    /** The key of the null sender ({@code MAIL FROM:<>}). */
    public static final String NULL_SENDER = "<>";

    // Each applies to the local part; SRS names the original domain and local part in it.
    private static final Pattern SRS0 = Pattern.compile("^srs0[=+-][^=]+=[^=]+=([^=]+)=(.+)$");
    private static final Pattern SRS1 = Pattern.compile("^srs1[=+-][^=]+=[^=]+==[^=]+=[^=]+=([^=]+)=(.+)$");
    private static final Pattern BATV = Pattern.compile("^(?:prvs|msprvs1)=[0-9a-z]+=(.+)$");
    private static final Pattern NUMBER = Pattern.compile("\\b\\d+\\b");

    private SenderNormaliser() {
    }

    /** The sender as its retries all give it; the null sender as is. */
    public static MaybeSender normalise(MaybeSender sender) {
        if (sender.isNullSender()) {
            return sender;
        }
        String given = sender.get().getLocalPart();
        String local = given.toLowerCase(Locale.ROOT);
        if (local == given && isPlain(local)) {
            // Most senders: nothing to rewrite, so no new address to parse (profiled: a tenth of RcptGuard's CPU at RCPT).
            return sender;
        }
        String givenDomain = sender.get().getDomain().asString();
        String domain = givenDomain;
        // SRS and BATV both need an '=': a VERP sender (digits only) skips their matching.
        if (local.indexOf('=') >= 0) {
            for (Pattern srs : new Pattern[] {SRS1, SRS0}) {
                Matcher matcher = srs.matcher(local);
                if (matcher.matches()) {
                    domain = matcher.group(1);
                    local = matcher.group(2);
                }
            }
            Matcher batv = BATV.matcher(local);
            if (batv.matches()) {
                local = batv.group(1);
            }
        }
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        local = NUMBER.matcher(local).replaceAll("#");
        if (local.equals(given) && domain.equals(givenDomain)) {
            // A digit inside a word (s0@, john2@) is no VERP number: nothing was rewritten, nothing to parse.
            return sender;
        }
        try {
            return MaybeSender.of(new MailAddress(local, Domain.of(domain)));
        } catch (AddressException | IllegalArgumentException e) {
            // Parts that name no address (a malformed SRS domain): the sender as given, its key in lower case.
            return sender;
        }
    }

    /** No character any rewriting above starts from: {@code =} (SRS, BATV), {@code +} (extension), a digit (VERP). */
    private static boolean isPlain(String local) {
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '=' || c == '+' || (c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** The key of a normalised sender in a triplet: the address in lower case, {@value #NULL_SENDER} for the null sender. */
    public static String key(MaybeSender normalised) {
        return normalised.asOptional().map(Addresses::key).orElse(NULL_SENDER);
    }
}
