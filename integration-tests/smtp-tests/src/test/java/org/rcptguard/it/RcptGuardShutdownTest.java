package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rcptguard.it.StoreSmtp.DEFERRAL;
import static org.rcptguard.it.StoreSmtp.rcpt;

import org.rcptguard.launcher.JamesServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.cassandra.testing.CassandraExtension;

/**
 * What RcptGuard starts stops with James: after James's stop (SIGTERM, as an operator or a container stops it), no
 * RcptGuard thread is left: not the whitelist refresher, not the directory look-up pool, not the threads of RcptGuard's
 * own Cassandra session (all named {@code rcptguard-...}).
 */
@Order(CassandraStoreSettings.SHARED_NODE_CLASS_ORDER)
class RcptGuardShutdownTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    @TempDir
    Path directory;

    @Test
    void noRcptGuardThreadOutlivesJamesStop() throws Exception {
        Files.writeString(directory.resolve("example.net.txt"), "alice@example.net\n");
        JamesServerProcess james = JamesServerProcess.builder()
            .confDir(JamesServerProcess.projectConfDir())
            .rcptguardProperties(CassandraStoreSettings.on(CASSANDRA)
                .policy("directory.domains", "example.net")
                .policy("directory.example.net.sources", "list")
                .policy("directory.example.net.list", directory.resolve("example.net.txt").toString())
                .asMap())
            .startTimeout(CassandraStoreSettings.JAMES_START_TIMEOUT)
            .jvmArgument("-javaagent:" + ThreadsAtExit.agentJar(directory))
            .start();
        // a look-up on the directory pool, a read and a write on RcptGuard's own session
        assertThat(rcpt(james, "127.0.91.4", "<stop@sender.example>", "alice@example.net").asString()).isEqualTo(DEFERRAL);
        assertThat(rcptGuardThreads(threadDump(james.pid())))
            .as("the threads this test expects to see stopped")
            .anyMatch(name -> name.startsWith("rcptguard-whitelist-refresh"))
            .anyMatch(name -> name.startsWith("rcptguard-directory-"))
            .anyMatch(name -> name.startsWith("rcptguard-io-"));

        assertThat(james.stop()).as("exit code after SIGTERM").isEqualTo(143);

        List<String> atExit = Files.readAllLines(james.home().resolve(ThreadsAtExit.FILE));
        assertThat(atExit.get(0)).isEqualTo("JAMES server stopped");
        assertThat(rcptGuardThreads(atExit)).isEmpty();
    }

    private static List<String> rcptGuardThreads(List<String> names) {
        return names.stream().filter(name -> name.startsWith("rcptguard-")).collect(Collectors.toList());
    }

    /** The thread names of a running JVM, as {@code jcmd PID Thread.print} lists them. */
    private static List<String> threadDump(long pid) throws Exception {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return Arrays.stream(dump.split("\n"))
            .filter(line -> line.startsWith("\""))
            .map(line -> line.substring(1, line.indexOf('"', 1)))
            .collect(Collectors.toList());
    }
}
