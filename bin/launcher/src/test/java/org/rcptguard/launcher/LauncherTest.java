package org.rcptguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/rcptguard's commands up to the point where they would start James (LauncherRunTest goes further). */
class LauncherTest {
    private static final Path REPOSITORY = Path.of(System.getProperty(Layout.REPOSITORY_PROPERTY));

    @Test
    void theScriptPrintsTheUsageForHelp() throws Exception {
        Process script = new ProcessBuilder(REPOSITORY.resolve("bin/rcptguard").toString(), "help")
            .redirectErrorStream(true)
            .start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("rcptguard: building")
            .startsWith("Usage:\n  bin/rcptguard run [--conf DIR] [--demo-delays] [--ipv6]\n")
            .contains("  bin/rcptguard cluster [--conf DIR] [--demo-delays] [--fresh]\n", "  bin/rcptguard help\n")
            .endsWith("when something must be built, mvn.\n");
    }

    @Test
    void anUnknownCommandIsAUsageError() throws Exception {
        Result result = execute("start");

        assertThat(result.exit).isEqualTo(2);
        assertThat(result.err).startsWith("rcptguard: unknown command: start\nUsage:\n");
        assertThat(result.out).isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageErrorOfItsCommand() throws Exception {
        assertThat(execute("run", "--fresh").err).startsWith("rcptguard: unknown option for run: --fresh\nUsage:\n");
        assertThat(execute("cluster", "--ipv6").err).startsWith("rcptguard: unknown option for cluster: --ipv6\nUsage:\n");
        assertThat(execute("run", "--fresh").exit).isEqualTo(2);
    }

    @Test
    void helpAfterACommandPrintsTheUsage() throws Exception {
        Result result = execute("cluster", "--help");

        assertThat(result.exit).isZero();
        assertThat(result.out).isEqualTo(Launcher.usage());
    }

    @Test
    void confMustBeAJamesConfigurationDirectory(@TempDir Path empty) throws Exception {
        assertThat(execute("run", "--conf").err).isEqualTo("rcptguard: --conf needs a directory\n");
        assertThat(execute("run", "--conf", empty.resolve("absent").toString()).err)
            .isEqualTo("rcptguard: configuration directory not found: " + empty.resolve("absent") + "\n");
        Result notJames = execute("run", "--conf=" + empty);
        assertThat(notJames.exit).isEqualTo(1);
        assertThat(notJames.err)
            .isEqualTo("rcptguard: " + empty + " does not look like a James configuration directory (no smtpserver.xml)\n");
    }

    @Test
    void aBusySmtpPortIsNamedBeforeAnythingStarts(@TempDir Path conf) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(conf.resolve("smtpserver.xml"),
                "<smtpservers><smtpserver><bind>127.0.0.1:" + busy.getLocalPort() + "</bind></smtpserver></smtpservers>");

            Result result = execute("run", "--conf", conf.toString());

            assertThat(result.exit).isEqualTo(1);
            assertThat(result.err).isEqualTo("rcptguard: port " + busy.getLocalPort() + " on 127.0.0.1 is already in use "
                + "(SMTP): stop the other server (another 'bin/rcptguard run'?) or change the port in the configuration "
                + "(--conf DIR)\n");
            assertThat(result.out).isEmpty();
        }
    }

    @Test
    void theClusterNamesItsBusyPortsByNode(@TempDir Path conf) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int nodeA = busy.getLocalPort() - 1;
            Files.writeString(conf.resolve("smtpserver.xml"), "<bind>127.0.0.1:" + nodeA + "</bind>");
            Files.writeString(conf.resolve("webadmin.properties"), "enabled=true\nport=1\n");

            Result result = execute("cluster", "--conf", conf.toString());

            assertThat(result.err).endsWith("rcptguard: port " + busy.getLocalPort() + " on 127.0.0.1 is already in use "
                + "(SMTP of node B): stop the other server (another 'bin/rcptguard run' or 'cluster'?) or change the "
                + "ports in the configuration (--conf DIR; node B uses node A's ports plus one)\n");
        }
    }

    private static Result execute(String... arguments) throws InterruptedException, IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream capturedErr = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            int exit = Launcher.execute(List.of(arguments));
            return new Result(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }
}
