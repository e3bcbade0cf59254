package org.rcptguard.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The PromQL of the Grafana dashboard (docker/grafana/rcptguard-dashboard.json), panels inside rows included. */
public final class GrafanaDashboard {
    public static final Path FILE = DockerConf.repositoryRoot().resolve("docker/grafana/rcptguard-dashboard.json");
    /** Grafana's variables as the tests and the picture substitute them. */
    public static final String RATE_INTERVAL_VARIABLE = "$__rate_interval";
    public static final String INSTANCE_VARIABLE = "$instance";

    private GrafanaDashboard() {
    }

    /** Every {@code expr} of every panel. */
    public static List<String> expressions() throws IOException {
        return expressions(null);
    }

    /** The {@code expr} of the panels titled so (every panel when {@code title} is null). */
    public static List<String> expressions(String title) throws IOException {
        List<String> expressions = new ArrayList<>();
        collect(new ObjectMapper().readTree(FILE.toFile()).get("panels"), title, expressions);
        return expressions;
    }

    /** An expression with Grafana's variables replaced: the rate window and the James node's {@code instance}. */
    public static String substitute(String expression, String rateInterval, String instance) {
        return expression.replace(RATE_INTERVAL_VARIABLE, rateInterval).replace(INSTANCE_VARIABLE, instance);
    }

    private static void collect(JsonNode panels, String title, List<String> expressions) {
        for (JsonNode panel : panels) {
            if (panel.has("panels")) {
                collect(panel.get("panels"), title, expressions);
            }
            if (title != null && !title.equals(panel.path("title").asText())) {
                continue;
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(target.get("expr").asText());
                }
            }
        }
    }
}
