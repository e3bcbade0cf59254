package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.Launcher;
import org.rcptguard.launcher.Reply;
import org.rcptguard.launcher.SmtpClient;
import org.rcptguard.launcher.WebAdminClient;

/**
 * {@code bin/rcptguard run --demo-delays} as the README starts it (the launcher in a JVM of its own, on a copy of
 * conf/ with free ports): the demo users exist, an untrusted client is greylisted, Ctrl-C stops James.
 */
class LauncherRunTest {
    private static final Pattern STOPPING = Pattern.compile("rcptguard: stopping James \\(pid (\\d+)\\)\\.\\.\\.");

    @Test
    void runGreylistsAFirstContactAndCtrlCStopsJames(@TempDir Path work) throws Exception {
        int smtpPort = JamesServerProcess.freePort(false);
        int webAdminPort = JamesServerProcess.freePort(false);
        Path conf = work.resolve("conf");
        JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), conf);
        replace(conf.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + smtpPort + "</bind>");
        replace(conf.resolve("webadmin.properties"), "port=8000", "port=" + webAdminPort);

        // A suite run in the background without job control (nohup ... &) inherits SIGINT ignored, and a JVM started
        // so never installs its Ctrl-C handler: env gives the launcher the disposition of a terminal's process back.
        Process launcher = new ProcessBuilder("env", "--default-signal=INT",
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
            "-Drcptguard.repository.dir=" + System.getProperty("rcptguard.repository.dir"),
            "-Drcptguard.launcher.target.dir=" + work,
            Launcher.class.getName(), "run", "--demo-delays", "--conf", conf.toString())
            .redirectErrorStream(true)
            .start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(launcher.getInputStream(),
            StandardCharsets.UTF_8)).lines().forEach(line -> output.append(line).append('\n')));
        reader.start();
        try {
            awaitOutput(output, " Ctrl-C stops James.", launcher);
            assertThat(output.toString()).contains("rcptguard: starting James in " + work.resolve("rcptguard-home"),
                " RcptGuard is running: James 3.8.1 (memory storage) with the RcptGuard extension\n"
                    + "   SMTP      127.0.0.1:" + smtpPort + "\n"
                    + "   WebAdmin  http://127.0.0.1:" + webAdminPort,
                "   demo delays: greylist.delay=10s greylist.retry.window=10m scan.threshold=3\n");
            assertThat(Files.readString(work.resolve("rcptguard-home/conf/rcptguard.properties")))
                .contains("greylist.delay=10s", "greylist.retry.window=10m", "scan.threshold=3", "identity.spf=true");
            WebAdminClient webAdmin = new WebAdminClient(webAdminPort);
            assertThat(webAdmin.userExists("alice@example.com")).isTrue();
            assertThat(webAdmin.userExists("postmaster@example.com")).isTrue();

            try (SmtpClient smtp = new SmtpClient()) {
                smtp.connect("127.0.0.1", smtpPort, "127.0.0.1");
                smtp.ehlo("client.example");
                smtp.mailFrom("<someone@sender.example>");
                Reply rcpt = smtp.rcptTo("alice@example.com");
                assertThat(rcpt.code()).as(rcpt.toString()).isEqualTo(451);
                assertThat(rcpt.text()).startsWith("4.7.1");
            }

            new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start().waitFor();
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as(output.toString()).isTrue();
            reader.join(5000);
            assertThat(launcher.exitValue()).isZero();
            Matcher stopping = STOPPING.matcher(output);
            assertThat(stopping.find()).as(output.toString()).isTrue();
            assertThat(ProcessHandle.of(Long.parseLong(stopping.group(1))).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(output.toString()).endsWith("rcptguard: stopped.\n");
        } finally {
            launcher.destroyForcibly();
        }
    }

    private static void awaitOutput(StringBuffer output, String text, Process launcher) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!output.toString().contains(text)) {
            assertThat(launcher.isAlive()).as("the launcher exited:\n" + output).isTrue();
            assertThat(Instant.now()).as("no '" + text + "' within 2 minutes:\n" + output).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static void replace(Path file, String text, String replacement) throws Exception {
        String content = Files.readString(file);
        assertThat(content).contains(text);
        Files.writeString(file, content.replace(text, replacement));
    }
}
