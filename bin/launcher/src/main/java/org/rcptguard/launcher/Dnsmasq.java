package org.rcptguard.launcher;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: Debian's {@code dnsmasq}, forked on port 53 of a loopback address of its own
 * (127.53.0.x), answering only from the records given on its command line: {@code --txt-record},
 * {@code --host-record} (an A record and its PTR), {@code --ptr-record}. Every other name is NXDOMAIN and every other
 * type of a known name is empty ({@code --local=/#/}), as an authoritative server would say, so SPF sees
 * {@code none} rather than a failure. Answers carry {@code ttl} so that the resolver's cache can be observed, and
 * every query is logged so that tests can count them.
 *
 * <p>Port 53 because James's DNS service ({@code dnsservice.xml}, {@code <servers><server>}) takes a server's address
 * only, never a port: dnsjava's resolver is built from the name with the default port. Binding port 53 needs root,
 * which the test machines have; without it, or without dnsmasq, the tests that need it are skipped. Shared by the
 * identity adapter's tests and the SMTP tests.
 */
public final class Dnsmasq implements AutoCloseable {
    public static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    public static final int DNS_PORT = 53;

    private final Path log;
    private final InetAddress address;
    private final Process process;

    private Dnsmasq(Path log, InetAddress address, Process process) {
        this.log = log;
        this.address = address;
        this.process = process;
    }

    public static boolean installed() {
        return Files.isExecutable(DNSMASQ);
    }

    /** True when this process may bind port 53 (root): checked by binding it on a loopback address of its own. */
    public static boolean canBindDnsPort() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(freeLoopbackAddress(), DNS_PORT))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts dnsmasq with these records, each a dnsmasq option such as {@code --txt-record=example.org,v=spf1 -all}. */
    public static Dnsmasq start(Path home, int ttlSeconds, List<String> records) throws Exception {
        Files.createDirectories(home);
        Path log = home.resolve("dnsmasq.log");
        InetAddress address = freeLoopbackAddress();
        List<String> command = new ArrayList<>(List.of(DNSMASQ.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
            "--no-resolv", "--no-hosts", "--local=/#/", "--bind-interfaces", "--listen-address=" + address.getHostAddress(),
            "--port=" + DNS_PORT, "--user=root", "--pid-file=", "--local-ttl=" + ttlSeconds, "--log-queries",
            "--log-facility=" + log));
        command.addAll(records);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(home.resolve("dnsmasq.out").toFile()).start();
        Dnsmasq dnsmasq = new Dnsmasq(log, address, process);
        dnsmasq.awaitAnswers(home);
        return dnsmasq;
    }

    /** The server's address: what {@code dnsservice.xml} names. */
    public InetAddress address() {
        return address;
    }

    /** A {@code dnsservice.xml} that makes James ask this server only. */
    public String dnsserviceXml() {
        return String.join("\n",
            "<dnsservice>",
            "    <servers><server>" + address.getHostAddress() + "</server></servers>",
            "    <autodiscover>false</autodiscover>",
            "    <authoritative>false</authoritative>",
            "    <maxcachesize>50000</maxcachesize>",
            "</dnsservice>",
            "");
    }

    /** The queries the server has received so far, as dnsmasq logs them, e.g. {@code query[TXT] example.org from 127.0.0.1}. */
    public List<String> queries() throws IOException {
        List<String> queries = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                int at = line.indexOf("query[");
                if (at >= 0) {
                    queries.add(line.substring(at));
                }
            }
        }
        return queries;
    }

    private void awaitAnswers(Path home) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(200);
            byte[] query = probe();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dnsmasq exited: " + Files.readString(home.resolve("dnsmasq.out")));
                }
                socket.send(new DatagramPacket(query, query.length, address, DNS_PORT));
                try {
                    socket.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
        }
        close();
        throw new IllegalStateException("dnsmasq did not answer within 10 s");
    }

    /** A DNS query for the A record of {@code ready.invalid}: any answer, NXDOMAIN included, means the server is up. */
    private static byte[] probe() {
        ByteBuffer query = ByteBuffer.allocate(64);
        query.putShort((short) 0x5253).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : new String[] {"ready", "invalid"}) {
            query.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        query.put((byte) 0).putShort((short) 1).putShort((short) 1);
        byte[] bytes = new byte[query.position()];
        query.flip().get(bytes);
        return bytes;
    }

    /** A loopback address 127.53.0.x whose port 53 is free now. */
    public static InetAddress freeLoopbackAddress() throws IOException {
        int start = ThreadLocalRandom.current().nextInt(1, 250);
        for (int i = 0; i < 250; i++) {
            InetAddress candidate = InetAddress.getByAddress(new byte[] {127, 53, 0, (byte) (1 + (start + i) % 250)});
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(candidate, DNS_PORT))) {
                return candidate;
            } catch (SocketException e) {
                // taken, or not allowed: try the next
            }
        }
        throw new IOException("no loopback address 127.53.0.x with a free port 53");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
