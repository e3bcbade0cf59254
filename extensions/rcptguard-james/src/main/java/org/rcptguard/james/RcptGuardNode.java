package org.rcptguard.james;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.rcptguard.core.RcptGuardConfiguration;

/**
 * This James node as RcptGuard names it in the decision log, the counters and the WebAdmin answers: {@code node.name}
 * of rcptguard.properties, else the host name (in a container, the container's host name). Also when it started.
 */
public final class RcptGuardNode {
    private final String name;
    private final Instant startedAt;

    public RcptGuardNode(String name, Instant startedAt) {
        this.name = Objects.requireNonNull(name);
        this.startedAt = Objects.requireNonNull(startedAt);
    }

    public static RcptGuardNode of(RcptGuardConfiguration configuration, Clock clock, Supplier<String> hostName) {
        return new RcptGuardNode(configuration.nodeName().orElseGet(hostName), clock.instant());
    }

    static String hostName() {
        Optional<String> environment = Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank());
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return environment.orElse("localhost");
        }
    }

    public String name() {
        return name;
    }

    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public String toString() {
        return name;
    }
}
