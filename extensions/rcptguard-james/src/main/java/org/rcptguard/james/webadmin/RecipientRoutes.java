package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.badRequest;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;

import spark.Request;
import spark.Service;

/**
 * GET {@code /rcptguard/recipients/{address}}: address, governed, class, directory (the source that answered; null
 * when none did), cached (from the SMTP verification cache), reason; an SMTP answer found nowhere is verified and
 * cached. A failed look-up is answered too: class UNDECIDED, reason {@code failed}, and the error.
 */
public class RecipientRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/recipients";
    static final String ADDRESS = ":address";

    private final RecipientService recipients;
    private final JsonTransformer jsonTransformer;

    @Inject
    public RecipientRoutes(RecipientService recipients, JsonTransformer jsonTransformer) {
        this.recipients = recipients;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE + "/" + ADDRESS, (request, response) -> recipients.lookUp(address(request)), jsonTransformer);
    }

    /** The path's {@code :address}, a 400 naming the field 'address' when it is not one. */
    static MailAddress address(Request request) {
        try {
            return AddressParameter.parse("address", request.params(ADDRESS).trim());
        } catch (IllegalArgumentException e) {
            throw badRequest("%s", e.getMessage());
        }
    }
}
