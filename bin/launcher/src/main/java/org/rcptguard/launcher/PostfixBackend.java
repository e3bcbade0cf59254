package org.rcptguard.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Postfix (Debian's) as the backend of a gateway domain, for tests: a private instance in a directory of its
 * own (its own configuration, queue and logs; nothing shared with {@code /etc/postfix}), listening on a loopback
 * address and a free port, offering STARTTLS (a self-signed certificate), delivering to virtual maildir mailboxes whose files a test reads byte for byte
 * ({@link #messages}). It refuses after DATA, with {@code 550 5.7.1}, a message whose Subject holds
 * {@value #REFUSED_SUBJECT}; {@link #mailboxes} changes the recipient map while it runs ({@code postmap} and
 * {@code postfix reload}); {@link #deferring} makes an address answer {@code 450 4.2.1} at RCPT; further
 * {@code main.cf} settings (e.g. {@code smtpd_*} limits) go through {@link #postconf}. Needs root and
 * {@code /usr/sbin/postfix} ({@code .ci/run} installs it).
 */
public final class PostfixBackend implements AutoCloseable {
    public static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    public static final String REFUSED_SUBJECT = "REFUSE-ME";

    private final Path dir;
    private final String address;
    private final int port;

    private PostfixBackend(Path dir, String address, int port) {
        this.dir = dir;
        this.address = address;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(POSTFIX) && "root".equals(System.getProperty("user.name"));
    }

    /** Starts an instance for {@code domains}, whose valid recipients are {@code mailboxes} (addresses). */
    public static PostfixBackend start(String address, Collection<String> domains, Collection<String> mailboxes) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rcptguard-postfix");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort(address);
        PostfixBackend backend = new PostfixBackend(dir, address, port);
        backend.configure(domains);
        backend.mailboxes(mailboxes, false);
        backend.deferring(List.of(), false);
        backend.start();
        return backend;
    }

    private void configure(Collection<String> domains) throws Exception {
        for (String sub : List.of("etc", "queue", "data", "log", "mail")) {
            Files.createDirectories(dir.resolve(sub));
        }
        run("chown", "postfix:postfix", dir.resolve("data").toString(), dir.resolve("mail").toString());
        run("chmod", "755", dir.resolve("etc").toString(), dir.resolve("queue").toString(), dir.resolve("log").toString());
        Files.writeString(dir.resolve("etc/master.cf"), String.join("\n",
            address + ":" + port + " inet n - n - 100 smtpd",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "virtual unix - n n - - virtual",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd", ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("etc/header_checks"),
            "/^Subject:.*" + REFUSED_SUBJECT + "/ REJECT 5.7.1 Refused by the backend's header rule\n", StandardCharsets.UTF_8);
        // A self-signed certificate: the instance offers STARTTLS.
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=backend.test",
            "-keyout", dir.resolve("etc/key.pem").toString(), "-out", dir.resolve("etc/cert.pem").toString());
        String uid = output("id", "-u", "postfix").trim();
        String gid = output("id", "-g", "postfix").trim();
        Path etc = dir.resolve("etc");
        Files.writeString(etc.resolve("main.cf"), "", StandardCharsets.UTF_8);
        postconf(false,
            "compatibility_level = 3.6",
            "queue_directory = " + dir.resolve("queue"),
            "data_directory = " + dir.resolve("data"),
            "maillog_file_prefixes = " + dir.resolve("log"),
            "maillog_file = " + dir.resolve("log/maillog"),
            "syslog_name = postfix-backend",
            "multi_instance_enable = no",
            "inet_interfaces = " + address,
            "inet_protocols = ipv4",
            "myhostname = backend.test",
            "mydestination =",
            "mynetworks = 127.0.0.1/32",
            "smtpd_peername_lookup = no",
            "smtp_dns_support_level = disabled",
            "local_transport = error:no local delivery",
            "default_transport = error:this backend relays nowhere",
            "alias_maps =",
            "alias_database =",
            "local_recipient_maps =",
            "virtual_mailbox_domains = " + String.join(" ", domains),
            "virtual_mailbox_base = " + dir.resolve("mail"),
            "virtual_mailbox_maps = hash:" + etc.resolve("vmailbox"),
            "virtual_minimum_uid = " + uid,
            "virtual_uid_maps = static:" + uid,
            "virtual_gid_maps = static:" + gid,
            "header_checks = regexp:" + etc.resolve("header_checks"),
            "smtpd_recipient_restrictions = check_recipient_access hash:" + etc.resolve("deferring")
                + ", reject_unauth_destination",
            "smtpd_error_sleep_time = 0",
            "in_flow_delay = 0",
            // What a client sent is what is delivered: no header rewriting nor added headers for loopback clients.
            "local_header_rewrite_clients =",
            "smtputf8_enable = yes",
            "smtpd_tls_cert_file = " + etc.resolve("cert.pem"),
            "smtpd_tls_key_file = " + etc.resolve("key.pem"),
            "smtpd_tls_security_level = may",
            "smtpd_tls_loglevel = 1");
    }

    /** The valid recipients (addresses of the instance's domains), each given a maildir; reloads a running instance. */
    public void mailboxes(Collection<String> addresses) throws Exception {
        mailboxes(addresses, true);
    }

    private void mailboxes(Collection<String> addresses, boolean reload) throws Exception {
        String map = addresses.stream().map(each -> each.toLowerCase(Locale.ROOT))
            .map(each -> each + " " + each.substring(each.indexOf('@') + 1) + "/" + each.substring(0, each.indexOf('@')) + "/")
            .collect(Collectors.joining("\n", "", "\n"));
        postmap("vmailbox", map, reload);
    }

    /** Addresses answered {@code 450 4.2.1} at RCPT (before the recipient map is consulted). */
    public void deferring(Collection<String> addresses) throws Exception {
        deferring(addresses, true);
    }

    private void deferring(Collection<String> addresses, boolean reload) throws Exception {
        postmap("deferring", addresses.stream().map(each -> each + " 450 4.2.1 Mailbox busy, try later\n")
            .collect(Collectors.joining()), reload);
    }

    private void postmap(String name, String content, boolean reload) throws Exception {
        Path file = dir.resolve("etc").resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        run("postmap", "hash:" + file);
        if (reload) {
            reload();
        }
    }

    /** Further {@code main.cf} settings ({@code name = value}), then a reload. */
    public void postconf(String... settings) throws Exception {
        postconf(true, settings);
    }

    private void postconf(boolean reload, String... settings) throws Exception {
        for (String setting : settings) {
            run("postconf", "-c", dir.resolve("etc").toString(), "-e", setting);
        }
        if (reload) {
            reload();
        }
    }

    private void reload() throws Exception {
        run("postfix", "-c", dir.resolve("etc").toString(), "reload");
        // smtpd processes pick up changed tables at their next session; a reload makes every one start afresh.
        Thread.sleep(500);
    }

    /** Starts (again) on the same address and port; returns once it greets. */
    public void start() throws Exception {
        run("postfix", "-c", dir.resolve("etc").toString(), "start");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 1_000);
                socket.setSoTimeout(2_000);
                if (socket.getInputStream().read() == '2') {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new LaunchFailure("Postfix in " + dir + " did not greet on " + address + ":" + port + " within 30 s; "
            + "its log: " + dir.resolve("log/maillog"));
    }

    /** Stops the instance and waits until its port is closed. */
    public void stop() throws Exception {
        run("postfix", "-c", dir.resolve("etc").toString(), "stop");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
            } catch (IOException e) {
                return;
            }
            Thread.sleep(100);
        }
        throw new LaunchFailure("Postfix in " + dir + " still listens after postfix stop");
    }

    /** The files delivered to {@code mailbox} (an address), oldest first. */
    public List<Path> messages(String mailbox) throws IOException {
        String lower = mailbox.toLowerCase(Locale.ROOT);
        Path maildir = dir.resolve("mail").resolve(lower.substring(lower.indexOf('@') + 1)).resolve(lower.substring(0, lower.indexOf('@')));
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path folder = maildir.resolve(sub);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> each = Files.list(folder)) {
                    each.forEach(files::add);
                }
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return files;
    }

    /** Messages in the backend's queue (not yet delivered, deferred, or bounces). */
    public String queue() throws Exception {
        return output("postqueue", "-c", dir.resolve("etc").toString(), "-p");
    }

    public String log() throws IOException {
        Path log = dir.resolve("log/maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** {@code address:port}, as {@code directory.DOMAIN.smtp.host} takes it. */
    public String hostPort() {
        return address + ":" + port;
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            run("rm", "-rf", dir.toString());
        }
    }

    private static int freePort(String address) throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return socket.getLocalPort();
        }
    }

    private static void run(String... command) throws Exception {
        output(command);
    }

    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new LaunchFailure(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.trim());
        }
        return output;
    }
}
