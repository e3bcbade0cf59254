package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.badRequest;
import static org.rcptguard.james.webadmin.RouteErrors.notFound;
import static org.rcptguard.james.webadmin.RouteErrors.storeCall;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code /rcptguard/harvests}: GET lists the domains under harvest on this node (counts, networks, since, until);
 * GET {@code /{domain}} one domain's state and its tallies now, under harvest or not; POST {@code /{domain}} starts a
 * harvest by hand (on for one window, whatever the tallies); DELETE ends it (204; 404 if it was not on) and keeps
 * the domain's tallies from starting it again for one window. By hand means on every node: the node asked at once,
 * the others at their next harvest refresh (the override is written to the store; 500 if it cannot be).
 */
public class HarvestRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/harvests";

    private static final Logger LOGGER = LoggerFactory.getLogger(HarvestRoutes.class);
    private static final String DOMAIN = ":domain";

    private final HarvestService harvests;
    private final JsonTransformer jsonTransformer;

    @Inject
    public HarvestRoutes(HarvestService harvests, JsonTransformer jsonTransformer) {
        this.harvests = harvests;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> harvests.list(), jsonTransformer);
        service.get(BASE + "/" + DOMAIN, (request, response) -> storeCall(() -> harvests.of(domain(request))), jsonTransformer);
        service.post(BASE + "/" + DOMAIN, this::start, jsonTransformer);
        service.delete(BASE + "/" + DOMAIN, this::end);
    }

    private HarvestDTO start(Request request, Response response) {
        String domain = domain(request);
        HarvestDTO started = storeCall(() -> harvests.start(domain));
        LOGGER.warn("RcptGuard: {} put under harvest by hand through WebAdmin until {}", started.getDomain(), started.getUntil());
        return started;
    }

    private String end(Request request, Response response) {
        String domain = domain(request);
        if (!storeCall(() -> harvests.end(domain))) {
            throw notFound("%s is not under harvest", domain);
        }
        LOGGER.warn("RcptGuard: the harvest of {} ended by hand through WebAdmin", domain);
        return Responses.returnNoContent(response);
    }

    private static String domain(Request request) {
        String value = request.params(DOMAIN);
        try {
            return Domain.of(value).asString();
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid 'domain' '%s': %s", value, e.getMessage());
        }
    }
}
