package org.rcptguard.james.directory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP server for tests: Debian's {@code slapd} in a forked process on a free loopback port, with a
 * throw-away mdb database under a temporary directory, loaded with {@code slapadd} before it starts. Suffix
 * {@code dc=example,dc=org}, people under {@code ou=people}, admin {@code cn=admin,dc=example,dc=org} / {@code secret}.
 */
final class Slapd implements AutoCloseable {
    static final String SLAPD = "/usr/sbin/slapd";
    static final String SLAPADD = "/usr/sbin/slapadd";
    static final String BASE = "ou=people,dc=example,dc=org";
    static final String ADMIN = "cn=admin,dc=example,dc=org";
    static final String PASSWORD = "secret";

    private final Path home;
    private final int port;
    private Process process;

    static boolean installed() {
        return Files.isExecutable(Path.of(SLAPD)) && Files.isExecutable(Path.of(SLAPADD))
            && Files.exists(Path.of("/etc/ldap/schema/inetorgperson.schema"));
    }

    /** People: uid and mail pairs. */
    Slapd(Path home, List<String> mails) throws Exception {
        this.home = home;
        this.port = freePort();
        Files.createDirectories(home.resolve("db"));
        Files.writeString(home.resolve("slapd.conf"), String.join("\n",
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "pidfile " + home.resolve("slapd.pid"),
            "database mdb",
            "maxsize 10485760",
            "suffix \"dc=example,dc=org\"",
            "rootdn \"" + ADMIN + "\"",
            "rootpw " + PASSWORD,
            "directory " + home.resolve("db"),
            "index mail eq",
            ""), StandardCharsets.UTF_8);
        StringBuilder ldif = new StringBuilder("dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\n"
            + "dc: example\no: Example\n\ndn: " + BASE + "\nobjectClass: organizationalUnit\nou: people\n\n");
        for (String mail : mails) {
            String uid = mail.substring(0, mail.indexOf('@'));
            ldif.append("dn: uid=").append(uid).append(',').append(BASE).append("\nobjectClass: inetOrgPerson\nuid: ")
                .append(uid).append("\ncn: ").append(uid).append("\nsn: ").append(uid).append("\nmail: ").append(mail).append("\n\n");
        }
        Files.writeString(home.resolve("data.ldif"), ldif.toString(), StandardCharsets.UTF_8);
        run(SLAPADD, "-f", home.resolve("slapd.conf").toString(), "-l", home.resolve("data.ldif").toString());
        start();
    }

    void start() throws Exception {
        process = new ProcessBuilder(SLAPD, "-f", home.resolve("slapd.conf").toString(),
            "-h", "ldap://127.0.0.1:" + port + "/", "-d", "0")
            .redirectErrorStream(true).redirectOutput(home.resolve("slapd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("slapd exited: " + Files.readString(home.resolve("slapd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("slapd did not listen on " + port);
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Freezes the server (SIGSTOP): connections are accepted by the kernel, nothing answers. */
    void pause() throws Exception {
        run("kill", "-STOP", String.valueOf(process.pid()));
    }

    void resume() throws Exception {
        run("kill", "-CONT", String.valueOf(process.pid()));
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            resume();
        }
        stop();
    }

    private void run(String... command) throws Exception {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (child.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
