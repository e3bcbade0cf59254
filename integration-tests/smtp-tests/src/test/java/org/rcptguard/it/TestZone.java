package org.rcptguard.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.launcher.Dnsmasq;
import org.rcptguard.launcher.JamesServerProcess;

/**
 * The DNS a test James asks: a real dnsmasq serving the test's records, a DNS server that never answers (for the
 * zones the records forward to it), and a copy of the project's {@code conf/} whose {@code dnsservice.xml} names that
 * dnsmasq, all in one temporary directory. Closing stops both servers and removes the directory.
 */
final class TestZone implements AutoCloseable {
    private final Path directory;
    private final DatagramSocket silentServer;
    private final Dnsmasq dnsmasq;
    private final Path conf;

    private TestZone(Path directory, DatagramSocket silentServer, Dnsmasq dnsmasq, Path conf) {
        this.directory = directory;
        this.silentServer = silentServer;
        this.dnsmasq = dnsmasq;
        this.conf = conf;
    }

    /**
     * Starts the zone (the test is skipped where dnsmasq is absent or port 53 cannot be bound); {@code records} are
     * dnsmasq's record options, given the silent server's address for {@code --server=/zone/ADDRESS}.
     */
    static TestZone start(String prefix, Function<String, List<String>> records) throws Exception {
        assumeTrue(Dnsmasq.installed(), "dnsmasq (Debian's dnsmasq-base) is not installed");
        assumeTrue(Dnsmasq.canBindDnsPort(), "port 53 cannot be bound (not root)");
        Path directory = Files.createTempDirectory(prefix);
        DatagramSocket silentServer = null;
        try {
            silentServer = new DatagramSocket(new InetSocketAddress(Dnsmasq.freeLoopbackAddress(), Dnsmasq.DNS_PORT));
            Dnsmasq dnsmasq = Dnsmasq.start(directory.resolve("dns"), 300,
                records.apply(silentServer.getLocalAddress().getHostAddress()));
            Path conf = directory.resolve("conf");
            JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), conf);
            Files.writeString(conf.resolve("dnsservice.xml"), dnsmasq.dnsserviceXml(), StandardCharsets.UTF_8);
            return new TestZone(directory, silentServer, dnsmasq, conf);
        } catch (Exception | Error e) {
            if (silentServer != null) {
                silentServer.close();
            }
            CassandraNode.deleteRecursively(directory);
            throw e;
        }
    }

    /** The temporary directory, for the test's own files. */
    Path directory() {
        return directory;
    }

    /** James's configuration directory: the project's, with this zone's DNS server. */
    Path conf() {
        return conf;
    }

    Dnsmasq dnsmasq() {
        return dnsmasq;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            dnsmasq.close();
        } finally {
            silentServer.close();
            CassandraNode.deleteRecursively(directory);
        }
    }
}
