package org.rcptguard.james.webadmin;

import static org.rcptguard.james.webadmin.RouteErrors.badRequest;
import static org.rcptguard.james.webadmin.RouteErrors.conflict;
import static org.rcptguard.james.webadmin.RouteErrors.notFound;
import static org.rcptguard.james.webadmin.RouteErrors.storeCall;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.rcptguard.core.LogText;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.WhitelistKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code /rcptguard/whitelist}: GET lists every entry with its source ({@code configuration} or {@code webadmin}),
 * GET {@code /{kind}} those of one kind; PUT {@code /{kind}/{value}} adds (204), DELETE removes (204; 404 if absent,
 * 409 if set in rcptguard.properties). {@code kind} is {@code client}, {@code sender} or {@code recipient} (or a
 * plural); a CIDR is written as it is: {@code PUT /rcptguard/whitelist/clients/192.0.2.0/24}.
 */
public class WhitelistRoutes implements Routes {
    public static final String BASE = RoutePaths.BASE + "/whitelist";

    private static final Logger LOGGER = LoggerFactory.getLogger(WhitelistRoutes.class);
    private static final String KIND = ":kind";

    private final WhitelistService whitelist;
    private final JsonTransformer jsonTransformer;

    @Inject
    public WhitelistRoutes(WhitelistService whitelist, JsonTransformer jsonTransformer) {
        this.whitelist = whitelist;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> storeCall(() -> whitelist.list(Optional.empty())), jsonTransformer);
        service.get(BASE + "/" + KIND, (request, response) -> storeCall(() -> whitelist.list(Optional.of(kind(request)))),
            jsonTransformer);
        for (String path : RoutePaths.withValue(BASE + "/" + KIND)) {
            service.put(path, this::add);
            service.delete(path, this::remove);
        }
    }

    private String add(Request request, Response response) {
        WhitelistEntry entry = entry(request);
        storeCall(() -> {
            whitelist.add(entry);
            return entry;
        });
        LOGGER.info("RcptGuard whitelist: {} added through WebAdmin", LogText.escape(entry));
        return Responses.returnNoContent(response);
    }

    private String remove(Request request, Response response) {
        WhitelistEntry entry = entry(request);
        switch (storeCall(() -> whitelist.remove(entry))) {
            case CONFIGURED:
                throw conflict("%s %s is set in rcptguard.properties (whitelist.%ss): remove it there and restart James",
                    entry.kind().settingValue(), entry.value(), entry.kind().settingValue());
            case ABSENT:
                throw notFound("%s %s is not in the whitelist", entry.kind().settingValue(), entry.value());
            default:
                LOGGER.info("RcptGuard whitelist: {} removed through WebAdmin", LogText.escape(entry));
                return Responses.returnNoContent(response);
        }
    }

    private static WhitelistEntry entry(Request request) {
        WhitelistKind kind = kind(request);
        String value = RoutePaths.value(request);
        try {
            return WhitelistEntry.of(kind, value);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid 'value' of a %s whitelist entry '%s': %s", kind.settingValue(), value, e.getMessage());
        }
    }

    private static WhitelistKind kind(Request request) {
        try {
            return WhitelistKind.parse(request.params(KIND));
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid 'kind': %s", e.getMessage());
        }
    }
}
