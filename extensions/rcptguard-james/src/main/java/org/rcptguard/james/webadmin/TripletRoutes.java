package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.badRequest;
import static org.rcptguard.james.webadmin.RouteErrors.notFound;
import static org.rcptguard.james.webadmin.RouteErrors.storeCall;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.rcptguard.core.LogText;
import org.rcptguard.core.Triplet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code /rcptguard/triplets?client=&sender=&recipient=}: GET the greylist's record of the triplet, DELETE forgets
 * it (204); 404 when the greylist does not know it. {@code client} is an address, its network or a proven identity
 * ({@code spf:example.com}, {@code ptr:example.com}), {@code sender}
 * empty or {@code <>} for the null sender.
 */
public class TripletRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/triplets";

    private static final Logger LOGGER = LoggerFactory.getLogger(TripletRoutes.class);

    private final TripletService triplets;
    private final JsonTransformer jsonTransformer;

    @Inject
    public TripletRoutes(TripletService triplets, JsonTransformer jsonTransformer) {
        this.triplets = triplets;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, this::find, jsonTransformer);
        service.delete(BASE, this::forget);
    }

    private TripletDTO find(Request request, Response response) {
        Triplet triplet = triplet(request);
        return storeCall(() -> triplets.find(triplet)).orElseThrow(() -> unknown(triplet));
    }

    private String forget(Request request, Response response) {
        Triplet triplet = triplet(request);
        if (!storeCall(() -> triplets.forget(triplet))) {
            throw unknown(triplet);
        }
        LOGGER.info("RcptGuard: triplet {} forgotten through WebAdmin", LogText.escape(triplet));
        return Responses.returnNoContent(response);
    }

    private Triplet triplet(Request request) {
        String client = required(request, "client");
        String sender = required(request, "sender");
        String recipient = required(request, "recipient");
        try {
            return triplets.triplet(client, sender, recipient);
        } catch (IllegalArgumentException e) {
            throw badRequest("%s", e.getMessage());
        }
    }

    private static String required(Request request, String parameter) {
        String value = request.queryParams(parameter);
        if (value == null) {
            throw badRequest("Missing query parameter '%s' (client, sender and recipient are required)", parameter);
        }
        return value;
    }

    private static RuntimeException unknown(Triplet triplet) {
        return notFound("No triplet (%s, %s, %s)", triplet.client().storedKey(), triplet.sender(), triplet.recipient());
    }
}
