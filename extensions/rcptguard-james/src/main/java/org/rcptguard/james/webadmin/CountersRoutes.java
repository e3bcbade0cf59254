package org.rcptguard.james.webadmin;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.james.DecisionCounters;

import spark.Service;

/** GET {@code /rcptguard/counters}: this node's decisions since it started. */
public class CountersRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/counters";

    private final DecisionCounters counters;
    private final RcptGuardConfiguration configuration;
    private final JsonTransformer jsonTransformer;

    @Inject
    public CountersRoutes(DecisionCounters counters, RcptGuardConfiguration configuration, JsonTransformer jsonTransformer) {
        this.counters = counters;
        this.configuration = configuration;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> new CountersDTO(counters.snapshot(), configuration.mode()), jsonTransformer);
    }
}
