package org.rcptguard.launcher;

import java.time.Duration;
import java.util.List;

/** {@code run}: one James with RcptGuard on memory storage, in the foreground, in target/rcptguard-home/. */
final class RunCommand {
    private static final String ADVICE =
        "stop the other server (another 'bin/rcptguard run'?) or change the port in the configuration (--conf DIR)";

    private final Layout layout;
    private final Supervisor supervisor;

    RunCommand(Layout layout, Supervisor supervisor) {
        this.layout = layout;
        this.supervisor = supervisor;
    }

    /** Returns James's exit code if it stops on its own; Ctrl-C ends this JVM from the supervisor. */
    int run(Options options) throws InterruptedException {
        List<Integer> smtpPorts = JamesConf.smtpPorts(options.conf);
        for (int port : smtpPorts.isEmpty() ? List.of(2525) : smtpPorts) {
            Preflight.requireFree(port, "SMTP", ADVICE);
        }
        Preflight.requireFree(JamesConf.webAdminPort(options.conf), "WebAdmin", ADVICE);

        System.out.println("rcptguard: starting James in " + layout.runHome());
        supervisor.stopOnSignals();
        JamesServerProcess.Builder builder = Demo.james(layout, options)
            .home(layout.runHome())
            .ports(JamesConf.PortChoice.configuredPlus(0))
            .maxHeap("512m")
            .startTimeout(Duration.ofSeconds(90))
            .echoOutput("");
        if (options.ipv6) {
            builder.ipv6Loopback();
        }
        JamesServerProcess james = builder.start();
        supervisor.track("James", james.pid(), james::isAlive, james::stop);
        Demo.provision(james.webAdmin());
        System.out.print(banner(james, options));

        int status = james.awaitExit();
        supervisor.awaitIfStopping();
        System.err.println("rcptguard: James exited (exit code " + status + ")");
        return status;
    }

    private String banner(JamesServerProcess james, Options options) {
        int smtp = james.smtpPort();
        String webAdmin = "http://127.0.0.1:" + james.webAdminPort();
        return String.join("\n",
            "",
            "================================================================================",
            " RcptGuard is running: James 3.8.1 (memory storage) with the RcptGuard extension",
            "   SMTP      127.0.0.1:" + smtp + (options.ipv6 ? " and [::1]:" + smtp : ""),
            "   WebAdmin  " + webAdmin + "   (e.g. curl " + webAdmin + "/domains)",
            "   home      " + james.home(),
            "   users     " + String.join(" ", Demo.USERS) + "  (password: " + Demo.PASSWORD + ")",
            options.demoDelays ? "   demo delays: greylist.delay=10s greylist.retry.window=10m scan.threshold=3" : "",
            " Try:",
            "   swaks --server 127.0.0.1:" + smtp + " --to alice@example.com --from someone@sender.example",
            "     (first attempt is greylisted with a 4xx; retry after the greylist delay and it is accepted)",
            "   swaks --server 127.0.0.1:" + smtp + " --to alice@example.com --from alice@example.com \\",
            "         --auth PLAIN --auth-user alice@example.com --auth-password " + Demo.PASSWORD,
            "   curl " + webAdmin + "/users/alice@example.com/mailboxes/INBOX/messageCount",
            " Ctrl-C stops James.",
            "================================================================================",
            "",
            "");
    }
}
