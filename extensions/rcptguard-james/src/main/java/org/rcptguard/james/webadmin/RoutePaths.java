package org.rcptguard.james.webadmin;

import java.util.List;

import spark.Request;

/** Where RcptGuard's routes live, and how a path carries a value that may be a CIDR. */
final class RoutePaths {
    static final String BASE = "/rcptguard";

    private static final String VALUE = ":value";
    private static final String PREFIX = ":prefix";

    private RoutePaths() {
    }

    /**
     * The paths of a route ending with a value that may be a CIDR written as it is ({@code .../192.0.2.0/24}): the
     * value alone, and the value with its prefix length as a segment of its own.
     */
    static List<String> withValue(String path) {
        return List.of(path + "/" + VALUE, path + "/" + VALUE + "/" + PREFIX);
    }

    /**
     * The value of a {@link #withValue} path, decoded by Spark as a path (a '+' stays a '+':
     * {@code alice+tag@example.com}).
     */
    static String value(Request request) {
        String prefix = request.params(PREFIX);
        return prefix == null ? request.params(VALUE) : request.params(VALUE) + "/" + prefix;
    }
}
