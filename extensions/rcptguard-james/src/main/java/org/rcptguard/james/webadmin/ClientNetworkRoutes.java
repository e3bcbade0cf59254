package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.badRequest;
import static org.rcptguard.james.webadmin.RouteErrors.storeCall;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.rcptguard.core.ClientNetwork;

import spark.Request;
import spark.Service;

/**
 * GET {@code /rcptguard/networks/{address or network}}: the network's passed triplets and auto-whitelisting, its
 * unknown recipients within the scan window, and its penalty. A network is written as it is:
 * {@code /rcptguard/networks/192.0.2.0/24}.
 */
public class ClientNetworkRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/networks";

    private final ClientNetworkService clientNetworks;
    private final JsonTransformer jsonTransformer;

    @Inject
    public ClientNetworkRoutes(ClientNetworkService clientNetworks, JsonTransformer jsonTransformer) {
        this.clientNetworks = clientNetworks;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        for (String path : RoutePaths.withValue(BASE)) {
            service.get(path, (request, response) -> {
                ClientNetwork network = clientNetwork(clientNetworks, request);
                return storeCall(() -> clientNetworks.lookUp(network));
            }, jsonTransformer);
        }
    }

    /** The path's network, a 400 naming the field 'network' when it is not one. */
    static ClientNetwork clientNetwork(ClientNetworkService clientNetworks, Request request) {
        try {
            return clientNetworks.clientNetwork("network", RoutePaths.value(request));
        } catch (IllegalArgumentException e) {
            throw badRequest("%s", e.getMessage());
        }
    }
}
