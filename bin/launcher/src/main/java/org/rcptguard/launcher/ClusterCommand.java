package org.rcptguard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code cluster}: one Cassandra node and two James nodes with RcptGuard on it, in the foreground, in
 * target/rcptguard-cluster/. Node B listens on node A's ports plus one; the Cassandra data survives runs.
 */
final class ClusterCommand {
    private static final String CASSANDRA_ADDRESS = "127.0.0.1";
    private static final int CASSANDRA_NATIVE_PORT = 9042;
    private static final int CASSANDRA_STORAGE_PORT = 7000;
    private static final String KEYSPACE = "rcptguard";
    private static final String CASSANDRA_ADVICE = "stop the other Cassandra (another 'bin/rcptguard cluster'?): "
        + "the cluster's Cassandra uses " + CASSANDRA_ADDRESS + ":" + CASSANDRA_NATIVE_PORT + " and " + CASSANDRA_STORAGE_PORT;
    private static final String JAMES_ADVICE = "stop the other server (another 'bin/rcptguard run' or 'cluster'?) or "
        + "change the ports in the configuration (--conf DIR; node B uses node A's ports plus one)";

    private final Layout layout;
    private final Supervisor supervisor;

    ClusterCommand(Layout layout, Supervisor supervisor) {
        this.layout = layout;
        this.supervisor = supervisor;
    }

    /** Runs until Ctrl-C (exit 0) or until a node exits on its own (exit 1), both through the supervisor. */
    void run(Options options) throws InterruptedException {
        int java = Runtime.version().feature();
        if (java > 17) {
            System.err.println("rcptguard: warning: java " + java + " on PATH; Cassandra 5.0 supports Java 11 and 17 only");
        }
        List<Integer> smtpPorts = JamesConf.smtpPorts(options.conf);
        int webAdminPort = JamesConf.webAdminPort(options.conf);
        Preflight.requireFree(CASSANDRA_NATIVE_PORT, "Cassandra CQL", CASSANDRA_ADVICE);
        Preflight.requireFree(CASSANDRA_STORAGE_PORT, "Cassandra storage", CASSANDRA_ADVICE);
        for (int port : smtpPorts.isEmpty() ? List.of(2525) : smtpPorts) {
            Preflight.requireFree(port, "SMTP of node A", JAMES_ADVICE);
            Preflight.requireFree(port + 1, "SMTP of node B", JAMES_ADVICE);
        }
        Preflight.requireFree(webAdminPort, "WebAdmin of node A", JAMES_ADVICE);
        Preflight.requireFree(webAdminPort + 1, "WebAdmin of node B", JAMES_ADVICE);

        CassandraNode cassandra = CassandraNode.builder()
            .name("cassandra")
            .clusterName("rcptguard-cluster")
            .listenAddress(CASSANDRA_ADDRESS)
            .nativePort(CASSANDRA_NATIVE_PORT)
            .storagePort(CASSANDRA_STORAGE_PORT)
            .workDir(layout.clusterHome().resolve("cassandra"))
            .classpathFile(layout.cassandraClasspathFile())
            .stopTimeout(Duration.ofSeconds(30))
            .build();
        if (options.fresh) {
            System.out.println("rcptguard: --fresh: deleting the Cassandra data in " + cassandra.workDir());
            cassandra.deleteDataDirectories();
        }
        supervisor.stopOnSignals();
        System.out.println("rcptguard: starting Cassandra in " + cassandra.workDir() + " (log: " + cassandra.logFile() + ")");
        cassandra.restart(); // not start(): that would delete RcptGuard's state of earlier runs
        supervisor.track("Cassandra", cassandra.pid(), cassandra::isRunning, cassandra::close);
        // one after the other: the first creates RcptGuard's keyspace and tables
        JamesServerProcess nodeA = startNode("node-a", 0, options);
        JamesServerProcess nodeB = startNode("node-b", 1, options);
        System.out.print(banner(cassandra, nodeA, nodeB, options));

        while (true) {
            Optional<String> exited = supervisor.exitedOnItsOwn();
            if (exited.isPresent()) {
                System.err.println("rcptguard: " + exited.get() + " exited on its own: stopping the others");
                supervisor.exit(1);
            }
            Thread.sleep(1000);
        }
    }

    private JamesServerProcess startNode(String name, int portOffset, Options options) {
        Path home = layout.clusterHome().resolve(name);
        System.out.println("rcptguard: starting James " + name + " in " + home);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("store", "cassandra");
        settings.put("cassandra.contact.points", CASSANDRA_ADDRESS + ":" + CASSANDRA_NATIVE_PORT);
        settings.put("cassandra.local.datacenter", CassandraNode.LOCAL_DATACENTER);
        settings.put("cassandra.keyspace", KEYSPACE);
        settings.put("cassandra.replication", "SimpleStrategy:1");
        JamesServerProcess james = Demo.james(layout, options)
            .rcptguardProperties(settings)
            .home(home)
            .ports(JamesConf.PortChoice.configuredPlus(portOffset))
            .maxHeap("384m")
            .startTimeout(Duration.ofSeconds(90))
            .echoOutput("[" + name + "] ")
            .start();
        supervisor.track("James " + name, james.pid(), james::isAlive, james::stop);
        Demo.provision(james.webAdmin());
        return james;
    }

    private static String banner(CassandraNode cassandra, JamesServerProcess nodeA, JamesServerProcess nodeB,
                                 Options options) {
        String delay = greylistDelay(nodeA.home());
        String waitLine = delay.matches("[0-9]+s")
            ? "sleep " + delay.substring(0, delay.length() - 1)
            : "# wait " + delay + " (greylist.delay; --demo-delays makes it 10s)";
        return String.join("\n",
            "",
            "================================================================================",
            " RcptGuard cluster is running: one Cassandra 5.0 node and two James 3.8.1 nodes sharing RcptGuard's state",
            "   Cassandra  " + CASSANDRA_ADDRESS + ":" + CASSANDRA_NATIVE_PORT + "  keyspace " + KEYSPACE
                + "   (data and log: " + cassandra.workDir() + ")",
            "   node A     " + node(nodeA),
            "   node B     " + node(nodeB),
            "   users      " + String.join(" ", Demo.USERS) + " on both nodes (password: " + Demo.PASSWORD
                + "); each node has its own mailboxes",
            "   greylist.delay=" + delay
                + (options.demoDelays ? " (demo delays: greylist.retry.window=10m scan.threshold=3)" : ""),
            " A retry that lands on the other node:",
            "   swaks --server 127.0.0.1:" + nodeA.smtpPort() + " --from someone@sender.example --to alice@example.com --quit-after RCPT",
            "     <** 451 4.7.1 Please try again later                   (node A records the triplet in Cassandra)",
            "   " + waitLine,
            "   swaks --server 127.0.0.1:" + nodeB.smtpPort() + " --from someone@sender.example --to alice@example.com",
            "     <-  250 2.6.0 Message received                         (node B sees that the triplet has passed)",
            "   curl http://127.0.0.1:" + nodeB.webAdminPort() + "/users/alice@example.com/mailboxes/INBOX/messageCount",
            " RcptGuard's state is kept in Cassandra across runs: a triplet that passed once keeps passing (another --from,",
            " or --local-interface 127.0.7.2, is a new triplet; --fresh starts from an empty store).",
            " Ctrl-C stops everything.",
            "================================================================================",
            "",
            "");
    }

    private static String node(JamesServerProcess james) {
        return "SMTP 127.0.0.1:" + james.smtpPort() + "   WebAdmin http://127.0.0.1:" + james.webAdminPort()
            + "   home " + james.home();
    }

    private static String greylistDelay(Path home) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("conf/rcptguard.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("greylist.delay", "5m").trim();
    }
}
