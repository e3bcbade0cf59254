package org.rcptguard.james.webadmin;

import spark.Request;

/** Where RcptGuard's routes live, and the one path value that may hold a '/'. */
final class RoutePaths {
    static final String BASE = "/rcptguard";

    private RoutePaths() {
    }

    /**
     * The value a route ends with ({@code /*}), decoded by Spark: a CIDR keeps its '/' and a '+' stays a '+'
     * ({@code alice+tag@example.com}).
     */
    static String rest(Request request) {
        String[] splat = request.splat();
        return splat.length == 0 ? "" : splat[0];
    }
}
