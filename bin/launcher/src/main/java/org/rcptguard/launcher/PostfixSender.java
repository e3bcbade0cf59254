package org.rcptguard.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Postfix (Debian's) as a sending MTA, for tests: a private instance ({@link PostfixInstance}) with no SMTP
 * server, to which messages are submitted with Postfix's own {@code sendmail}, and which relays every one to one
 * SMTP server ({@code relayhost = [HOST]:PORT}, no DNS) from the source address it is given
 * ({@code smtp_bind_address}). {@link #sendFrom} changes that address between attempts, as a provider's pool of
 * outbound hosts does; Postfix's own retries are hours away ({@code minimal_backoff_time} as shipped), so each attempt
 * after the first is a {@link #flush}. Needs root and {@code /usr/sbin/postfix} ({@code .ci/run} installs it).
 */
public final class PostfixSender implements AutoCloseable {
    private final PostfixInstance instance;

    private PostfixSender(PostfixInstance instance) {
        this.instance = instance;
    }

    public static boolean installed() {
        return PostfixInstance.installed();
    }

    /**
     * Starts an instance that relays to {@code relayHost:relayPort} from {@code source}; {@code settings} are further
     * {@code main.cf} settings ({@code name = value}). A Postfix that does not start throws, its directory removed.
     */
    public static PostfixSender start(String relayHost, int relayPort, String source, String... settings) throws Exception {
        PostfixInstance instance = PostfixInstance.create("sender", List.of());
        try {
            List<String> main = new ArrayList<>(List.of(
                "inet_interfaces = loopback-only",
                "relayhost = [" + relayHost + "]:" + relayPort,
                "smtp_bind_address = " + source,
                // An address that cannot be bound defers the message rather than leaving from another address.
                "smtp_bind_address_enforce = yes",
                // Every attempt on a connection of its own, so that it leaves from the address set at that time.
                "smtp_connection_cache_on_demand = no"));
            main.addAll(List.of(settings));
            instance.postconf(main);
            instance.start();
            return new PostfixSender(instance);
        } catch (Exception | Error e) {
            instance.closeAfter(e);
            throw e;
        }
    }

    /** Queues {@code message} (headers and body, LF line ends) from {@code sender} to {@code recipient} with sendmail. */
    public void submit(String sender, String recipient, String message) throws Exception {
        Process process = new ProcessBuilder("sendmail", "-C", instance.etc().toString(), "-i", "-f", sender, recipient)
            .redirectErrorStream(true).start();
        try (OutputStream input = process.getOutputStream()) {
            input.write(message.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new LaunchFailure("sendmail exited " + process.exitValue() + ": " + output.trim());
        }
    }

    /** Leaves from {@code source} from the next attempt on ({@code smtp_bind_address}, then a reload). */
    public void sendFrom(String source) throws Exception {
        instance.postconf(List.of("smtp_bind_address = " + source));
        instance.reload();
    }

    /** Attempts every queued message now, deferred ones included: the retry. */
    public void flush() throws Exception {
        instance.flush();
    }

    /** What {@code postqueue -p} lists. */
    public String queue() throws Exception {
        return instance.queue();
    }

    /** True when nothing is queued: every message delivered (or bounced: see {@link #log}). */
    public boolean queueEmpty() throws Exception {
        return instance.queue().startsWith("Mail queue is empty");
    }

    /** The instance's mail log: one {@code status=} line per delivery attempt of each recipient. */
    public String log() throws IOException {
        return instance.log();
    }

    /** Stops the instance (if it runs) and removes its directory. */
    @Override
    public void close() throws Exception {
        instance.close();
    }
}
