package org.rcptguard.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Postfix (Debian's) as the backend of a gateway domain, for tests: a private instance
 * ({@link PostfixInstance}) listening on a loopback address and a free port, offering STARTTLS (a self-signed
 * certificate), delivering to virtual maildir mailboxes whose files a test reads byte for byte ({@link #messages}).
 * It refuses after DATA, with {@code 550 5.7.1}, a message whose Subject holds {@value #REFUSED_SUBJECT};
 * {@link #mailboxes} changes the recipient map while it runs ({@code postmap} and
 * {@code postfix reload}); {@link #deferring} makes an address answer {@code 450 4.2.1} at RCPT; further
 * {@code main.cf} settings (e.g. {@code smtpd_*} limits) go through {@link #postconf}. Needs root and
 * {@code /usr/sbin/postfix} ({@code .ci/run} installs it).
 */
public final class PostfixBackend implements AutoCloseable {
    public static final String REFUSED_SUBJECT = "REFUSE-ME";

    private final PostfixInstance instance;
    private final String address;
    private final int port;

    private PostfixBackend(PostfixInstance instance, String address, int port) {
        this.instance = instance;
        this.address = address;
        this.port = port;
    }

    public static boolean installed() {
        return PostfixInstance.installed();
    }

    /** Starts an instance for {@code domains}, whose valid recipients are {@code mailboxes} (addresses). */
    public static PostfixBackend start(String address, Collection<String> domains, Collection<String> mailboxes) throws Exception {
        int port = freePort(address);
        PostfixInstance instance = PostfixInstance.create("backend",
            List.of(address + ":" + port + " inet n - n - 100 smtpd", "virtual unix - n n - - virtual"));
        try {
            PostfixBackend backend = new PostfixBackend(instance, address, port);
            backend.configure(domains);
            backend.mailboxes(mailboxes, false);
            backend.deferring(List.of(), false);
            backend.start();
            return backend;
        } catch (Exception | Error e) {
            instance.closeAfter(e);
            throw e;
        }
    }

    private void configure(Collection<String> domains) throws Exception {
        Path etc = instance.etc();
        Path mail = Files.createDirectories(instance.dir().resolve("mail"));
        PostfixInstance.run("chown", "postfix:postfix", mail.toString());
        Files.writeString(etc.resolve("header_checks"),
            "/^Subject:.*" + REFUSED_SUBJECT + "/ REJECT 5.7.1 Refused by the backend's header rule\n", StandardCharsets.UTF_8);
        // A self-signed certificate: the instance offers STARTTLS.
        PostfixInstance.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=backend.test",
            "-keyout", etc.resolve("key.pem").toString(), "-out", etc.resolve("cert.pem").toString());
        String uid = PostfixInstance.output("id", "-u", "postfix").trim();
        String gid = PostfixInstance.output("id", "-g", "postfix").trim();
        instance.postconf(List.of(
            "inet_interfaces = " + address,
            "mynetworks = 127.0.0.1/32",
            "smtpd_peername_lookup = no",
            "default_transport = error:this backend relays nowhere",
            "virtual_mailbox_domains = " + String.join(" ", domains),
            "virtual_mailbox_base = " + mail,
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
            "smtpd_tls_loglevel = 1"));
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
        instance.postmap(name, content);
        if (reload) {
            instance.reload();
        }
    }

    /** Further {@code main.cf} settings ({@code name = value}), then a reload. */
    public void postconf(String... settings) throws Exception {
        instance.postconf(List.of(settings));
        instance.reload();
    }

    /** Starts (again) on the same address and port; returns once it greets. */
    public void start() throws Exception {
        instance.start();
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
        throw new LaunchFailure("Postfix in " + instance.dir() + " did not greet on " + address + ":" + port + " within 30 s; "
            + "its log: " + instance.log().strip());
    }

    /** Stops the instance and waits until its port is closed. */
    public void stop() throws Exception {
        instance.stop();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
            } catch (IOException e) {
                return;
            }
            Thread.sleep(100);
        }
        throw new LaunchFailure("Postfix in " + instance.dir() + " still listens after postfix stop");
    }

    /** The files delivered to {@code mailbox} (an address), oldest first. */
    public List<Path> messages(String mailbox) throws IOException {
        String lower = mailbox.toLowerCase(Locale.ROOT);
        Path maildir = instance.dir().resolve("mail").resolve(lower.substring(lower.indexOf('@') + 1)).resolve(lower.substring(0, lower.indexOf('@')));
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
        return instance.queue();
    }

    public String log() throws IOException {
        return instance.log();
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

    /** Stops the instance (if it runs) and removes its directory. */
    @Override
    public void close() throws Exception {
        try {
            if (instance.running()) {
                stop();
            }
        } finally {
            instance.close();
        }
    }

    private static int freePort(String address) throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return socket.getLocalPort();
        }
    }
}
