package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.notFound;
import static org.rcptguard.james.webadmin.RouteErrors.storeCall;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.Responses;
import org.rcptguard.core.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * DELETE {@code /rcptguard/verifications/{address}}: drops the address's SMTP verification answer from the cache
 * (shared by the cluster with {@code store=cassandra}), so that its next look-up asks the backend; 204, 404 when none
 * is cached.
 */
public class VerificationRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/verifications";

    private static final Logger LOGGER = LoggerFactory.getLogger(VerificationRoutes.class);

    private final RecipientService recipients;

    @Inject
    public VerificationRoutes(RecipientService recipients) {
        this.recipients = recipients;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.delete(BASE + "/" + RecipientRoutes.ADDRESS, this::forget);
    }

    private String forget(Request request, Response response) {
        MailAddress address = RecipientRoutes.address(request);
        if (!storeCall(() -> recipients.forgetVerification(address))) {
            throw notFound("No cached verification of %s", address.asString());
        }
        LOGGER.info("RcptGuard: verification of {} forgotten through WebAdmin", LogText.escape(address));
        return Responses.returnNoContent(response);
    }
}
