package org.rcptguard.james.webadmin;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.james.RcptGuardNode;

import spark.Service;

/** GET {@code /rcptguard/status}: node, mode, store, start time, whitelist refresh period and last refresh. */
public class StatusRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/status";

    private final RcptGuardNode node;
    private final RcptGuardConfiguration configuration;
    private final SharedWhitelist sharedWhitelist;
    private final JsonTransformer jsonTransformer;

    @Inject
    public StatusRoutes(RcptGuardNode node, RcptGuardConfiguration configuration, SharedWhitelist sharedWhitelist,
                        JsonTransformer jsonTransformer) {
        this.node = node;
        this.configuration = configuration;
        this.sharedWhitelist = sharedWhitelist;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> new StatusDTO(node, configuration, sharedWhitelist), jsonTransformer);
    }
}
