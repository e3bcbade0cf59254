package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.notFound;
import static org.rcptguard.james.webadmin.RouteErrors.storeCall;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.Responses;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * DELETE {@code /rcptguard/penalties/{address or network}}: lifts the network's penalty and forgets its scan
 * evidence; 204, 404 when no penalty runs.
 */
public class PenaltyRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/penalties";

    private static final Logger LOGGER = LoggerFactory.getLogger(PenaltyRoutes.class);

    private final ClientNetworkService clientNetworks;

    @Inject
    public PenaltyRoutes(ClientNetworkService clientNetworks) {
        this.clientNetworks = clientNetworks;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        for (String path : RoutePaths.withValue(BASE)) {
            service.delete(path, this::lift);
        }
    }

    private String lift(Request request, Response response) {
        ClientNetwork network = ClientNetworkRoutes.clientNetwork(clientNetworks, request);
        if (!storeCall(() -> clientNetworks.liftPenalty(network))) {
            throw notFound("%s has no penalty", network.asString());
        }
        LOGGER.info("RcptGuard: penalty of {} lifted through WebAdmin", LogText.escape(network));
        return Responses.returnNoContent(response);
    }
}
