package org.rcptguard.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a James the launcher starts ready for the README's walk-through: the domain and users every node gets,
 * and the short delays of {@code --demo-delays}.
 */
final class Demo {
    static final String DOMAIN = "example.com";
    static final List<String> USERS = List.of("alice@example.com", "bob@example.com", "postmaster@example.com");
    static final String PASSWORD = "secret";
    static final Map<String, String> DELAYS = delays();

    private Demo() {
    }

    /** A James of the repository's build with this configuration (and the demo delays if asked for). */
    static JamesServerProcess.Builder james(Layout layout, Options options) {
        return JamesServerProcess.builder()
            .confDir(options.conf)
            .extensionJar(layout.extensionJar())
            .jamesClasspathFile(layout.jamesClasspathFile())
            .asShipped()
            .rcptguardProperties(options.demoDelays ? DELAYS : Map.of());
    }

    private static Map<String, String> delays() {
        Map<String, String> delays = new LinkedHashMap<>();
        delays.put("greylist.delay", "10s");
        delays.put("greylist.retry.window", "10m");
        delays.put("scan.threshold", "3");
        return delays;
    }

    /** Creates what is missing; an answer other than created or already there is a warning, not a failure. */
    static void provision(WebAdminClient webAdmin) {
        int status = webAdmin.get("/domains/" + DOMAIN).statusCode();
        if (status != 204 && status != 200) {
            status = webAdmin.put("/domains/" + DOMAIN, null).statusCode();
            if (status != 204) {
                System.err.println("rcptguard: warning: creating domain " + DOMAIN + " answered HTTP " + status);
            }
        }
        for (String user : USERS) {
            status = webAdmin.put("/users/" + user, "{\"password\":\"" + PASSWORD + "\"}").statusCode();
            if (status != 204 && status != 409) {
                System.err.println("rcptguard: warning: creating user " + user + " answered HTTP " + status);
            }
        }
    }
}
