package org.rcptguard.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The ports of a James configuration directory: the {@code <bind>} entries of {@code smtpserver.xml} and the
 * {@code port} of {@code webadmin.properties} (8000, James's default, when absent), read and rewritten.
 */
public final class JamesConf {
    /** The name the IPv6 option binds SMTP to (James 3.8.1 cannot parse an IPv6 literal in {@code <bind>}). */
    public static final String IPV6_LOOPBACK_NAME = "rcptguard-ip6-loopback";
    static final int DEFAULT_WEBADMIN_PORT = 8000;
    private static final Pattern BIND = Pattern.compile("<bind>([^<]*)</bind>");
    private static final Pattern ENTRY_PORT = Pattern.compile(":(\\d+)\\s*$");
    private static final Pattern PORT_LINE = Pattern.compile("(?m)^([ \\t]*port[ \\t]*[=:][ \\t]*)(\\d+)[ \\t]*$");

    /** How the ports of a home are chosen from those of the configuration. */
    public interface PortChoice {
        int port(int configured, boolean alsoOnIpv6Loopback) throws IOException;

        /** Free ports: many homes of one configuration run side by side (the tests). */
        static PortChoice free() {
            // Each port is free when asked for, but closed again at once: the system may hand the same one out twice.
            Set<Integer> given = new HashSet<>();
            return (configured, alsoOnIpv6Loopback) -> {
                int port;
                do {
                    port = JamesServerProcess.freePort(alsoOnIpv6Loopback);
                } while (!given.add(port));
                return port;
            };
        }

        /** The configured ports plus {@code offset}: node B of a cluster listens on node A's ports plus one. */
        static PortChoice configuredPlus(int offset) {
            return (configured, alsoOnIpv6Loopback) -> configured + offset;
        }
    }

    private JamesConf() {
    }

    /** Every port of the {@code <bind>} entries of {@code conf/smtpserver.xml}, in file order, each once. */
    public static List<Integer> smtpPorts(Path conf) {
        Matcher bind = BIND.matcher(read(conf.resolve("smtpserver.xml")));
        List<Integer> ports = new ArrayList<>();
        while (bind.find()) {
            for (String entry : bind.group(1).split(",")) {
                Matcher port = ENTRY_PORT.matcher(entry);
                if (port.find() && !ports.contains(Integer.parseInt(port.group(1)))) {
                    ports.add(Integer.parseInt(port.group(1)));
                }
            }
        }
        return Collections.unmodifiableList(ports);
    }

    /** The WebAdmin port of {@code conf/webadmin.properties}. */
    public static int webAdminPort(Path conf) {
        Path file = conf.resolve("webadmin.properties");
        Matcher port = PORT_LINE.matcher(Files.exists(file) ? read(file) : "");
        int last = DEFAULT_WEBADMIN_PORT;
        while (port.find()) {
            last = Integer.parseInt(port.group(2));
        }
        return last;
    }

    /**
     * Gives every {@code <bind>} of smtpserver.xml its port by {@code choice} (one port for all entries of a bind,
     * from its first), the first also on {@value #IPV6_LOOPBACK_NAME} when {@code addIpv6}; returns the ports in file
     * order.
     */
    static List<Integer> rewriteSmtpPorts(Path smtpserverXml, PortChoice choice, boolean addIpv6) throws IOException {
        Matcher matcher = BIND.matcher(Files.readString(smtpserverXml));
        StringBuilder rewritten = new StringBuilder();
        List<Integer> ports = new ArrayList<>();
        while (matcher.find()) {
            boolean first = ports.isEmpty();
            List<String> entries = Arrays.stream(matcher.group(1).split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .collect(Collectors.toList());
            Matcher configured = ENTRY_PORT.matcher(entries.isEmpty() ? "" : entries.get(0));
            int port = choice.port(configured.find() ? Integer.parseInt(configured.group(1)) : 25, first && addIpv6);
            ports.add(port);
            String bound = entries.stream()
                .map(entry -> ENTRY_PORT.matcher(entry).replaceAll(":" + port))
                .collect(Collectors.joining(", "));
            if (first && addIpv6 && !bound.contains(IPV6_LOOPBACK_NAME)) {
                bound = bound + ", " + IPV6_LOOPBACK_NAME + ":" + port;
            }
            matcher.appendReplacement(rewritten, Matcher.quoteReplacement("<bind>" + bound + "</bind>"));
        }
        matcher.appendTail(rewritten);
        if (ports.isEmpty()) {
            throw new IllegalStateException(smtpserverXml + " has no <bind> element");
        }
        Files.writeString(smtpserverXml, rewritten.toString());
        return Collections.unmodifiableList(ports);
    }

    /** Sets the WebAdmin port of {@code conf/webadmin.properties} by {@code choice}; returns it. */
    static int rewriteWebAdminPort(Path conf, PortChoice choice) throws IOException {
        Path file = conf.resolve("webadmin.properties");
        int port = choice.port(webAdminPort(conf), false);
        String properties = Files.exists(file) ? Files.readString(file) : "enabled=true\n";
        String rewritten = PORT_LINE.matcher(properties).find()
            ? PORT_LINE.matcher(properties).replaceAll("$1" + port)
            : properties + (properties.endsWith("\n") ? "" : "\n") + "port=" + port + "\n";
        Files.writeString(file, rewritten);
        return port;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
