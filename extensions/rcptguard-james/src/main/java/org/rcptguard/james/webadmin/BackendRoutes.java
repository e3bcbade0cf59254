package org.rcptguard.james.webadmin;

import java.util.Comparator;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.rcptguard.james.inline.InlineBackend;
import org.rcptguard.james.inline.InlineBackends;

import spark.Service;

/** GET {@code /rcptguard/backends}: each backend delivered to in-line, as this node last found it. */
public class BackendRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/backends";

    private final InlineBackends backends;
    private final JsonTransformer jsonTransformer;

    @Inject
    public BackendRoutes(InlineBackends backends, JsonTransformer jsonTransformer) {
        this.backends = backends;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> backends.all().stream()
            .sorted(Comparator.comparing(InlineBackend::name))
            .map(BackendDTO::new)
            .collect(Collectors.toList()), jsonTransformer);
    }
}
