package org.rcptguard.james.inline;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.directory.DirectoryConfiguration.InlineBounds;
import org.rcptguard.core.directory.DirectoryConfiguration.StartTls;
import org.rcptguard.james.inline.RelayOutcome.Kind;

/**
 * One SMTP transaction with a backend, inside the client's: EHLO, {@code MAIL FROM} with the original sender and the
 * parameters the backend offers ({@code SIZE}, {@code BODY=8BITMIME}, {@code SMTPUTF8} when the envelope needs it),
 * STARTTLS when the backend offers it (unless {@code directory.inline.starttls=off}), one {@code RCPT TO} per
 * recipient, then the message streamed from James's spooled copy, dot-stuffed. Nothing is read
 * into the heap. Every reply is awaited at most the command timeout; the transfer and the reply to its end at most
 * the data timeout, after which the connection is closed whatever it is doing.
 */
final class InlineRelay {
    private final InlineBounds bounds;
    private final String helo;
    private final ScheduledExecutorService deadlines;

    InlineRelay(InlineBounds bounds, String helo, ScheduledExecutorService deadlines) {
        this.bounds = bounds;
        this.helo = helo;
        this.deadlines = deadlines;
    }

    RelayOutcome relay(InlineBackend backend, MaybeSender sender, List<MailAddress> recipients, MessageContent message) {
        BackendConnection connection;
        try {
            connection = BackendConnection.open(backend.address(), bounds.connectTimeout());
        } catch (IOException e) {
            return RelayOutcome.failed(Kind.UNREACHABLE, "connect: " + e.getMessage());
        }
        String step = "greeting";
        try (connection) {
            connection.timeout(bounds.connectTimeout());
            BackendReply greeting = connection.reply();
            if (!greeting.positive()) {
                // A backend refusing service says nothing about the message: try again.
                return RelayOutcome.of(Kind.DEFERRED, greeting, step);
            }
            connection.timeout(bounds.commandTimeout());
            step = "EHLO";
            BackendReply hello = connection.command("EHLO " + helo);
            Set<String> extensions = hello.positive() ? extensions(hello) : Set.of();
            if (!hello.positive()) {
                step = "HELO";
                hello = connection.command("HELO " + helo);
                if (!hello.positive()) {
                    return RelayOutcome.of(Kind.DEFERRED, hello, step);
                }
            }
            if (bounds.startTls() != StartTls.OFF && extensions.contains("STARTTLS")) {
                step = "STARTTLS";
                BackendReply go = connection.command("STARTTLS");
                if (go.code() == 220) {
                    connection.startTls(backend.address().host(), backend.address().port());
                    step = "EHLO after STARTTLS";
                    hello = connection.command("EHLO " + helo);
                    if (!hello.positive()) {
                        return ended(connection, Kind.DEFERRED, hello, step);
                    }
                    extensions = extensions(hello);
                }
            }
            if (bounds.startTls() == StartTls.REQUIRED && !connection.encrypted()) {
                connection.quit();
                return RelayOutcome.failed(Kind.DEFERRED, "STARTTLS required, not offered");
            }
            step = "MAIL";
            BackendReply mail = connection.command(mailFrom(sender, recipients, message.size(), extensions));
            if (!mail.positive()) {
                return ended(connection, mail.permanentFailure() ? Kind.REJECTED : Kind.DEFERRED, mail, step);
            }
            step = "RCPT";
            List<MailAddress> stale = new ArrayList<>();
            BackendReply refusal = null;
            for (MailAddress recipient : recipients) {
                BackendReply rcpt = connection.command("RCPT TO:<" + recipient.asString() + ">");
                if (rcpt.positive()) {
                    continue;
                }
                if (unknownUser(rcpt)) {
                    stale.add(recipient);
                }
                refusal = refusal == null || unknownUser(rcpt) ? rcpt : refusal;
            }
            if (!stale.isEmpty()) {
                return ended(connection, RelayOutcome.stale(stale, refusal));
            }
            if (refusal != null) {
                return ended(connection, Kind.DEFERRED, refusal, step);
            }
            step = "DATA";
            BackendReply data = connection.command("DATA");
            if (data.code() != 354) {
                return ended(connection, data.permanentFailure() ? Kind.REJECTED : Kind.DEFERRED, data, step);
            }
            step = "end of data";
            BackendReply end = transfer(connection, message);
            Kind kind = end.positive() ? Kind.DELIVERED : end.permanentFailure() ? Kind.REJECTED : Kind.DEFERRED;
            connection.quit();
            return RelayOutcome.of(kind, end, step);
        } catch (SocketTimeoutException e) {
            return RelayOutcome.failed(step.equals("greeting") ? Kind.UNREACHABLE : Kind.LOST, "timeout at " + step);
        } catch (IOException e) {
            return RelayOutcome.failed(step.equals("greeting") ? Kind.UNREACHABLE : Kind.LOST, step + ": " + e.getMessage());
        }
    }

    private BackendReply transfer(BackendConnection connection, MessageContent message) throws IOException {
        connection.timeout(bounds.dataTimeout());
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            try {
                connection.close();
            } catch (IOException e) {
                // closed already
            }
        }, bounds.dataTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream in = message.open()) {
            DotStuffingOutputStream body = new DotStuffingOutputStream(connection.data());
            in.transferTo(body);
            body.finish();
            return connection.reply();
        } finally {
            deadline.cancel(false);
        }
    }

    private static boolean unknownUser(BackendReply reply) {
        return reply.code() == 550 || reply.code() == 551 || reply.code() == 553;
    }

    private static RelayOutcome ended(BackendConnection connection, Kind kind, BackendReply reply, String step) {
        return ended(connection, RelayOutcome.of(kind, reply, step));
    }

    private static RelayOutcome ended(BackendConnection connection, RelayOutcome outcome) {
        connection.quit();
        return outcome;
    }

    /** The EHLO keywords the backend offers, upper case. */
    static Set<String> extensions(BackendReply ehlo) {
        Set<String> keywords = new HashSet<>();
        for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
            String keyword = line.trim().split("[\\s=]", 2)[0];
            keywords.add(keyword.toUpperCase(Locale.ROOT));
        }
        return keywords;
    }

    static String mailFrom(MaybeSender sender, List<MailAddress> recipients, long size, Set<String> extensions) {
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender.asString("")).append('>');
        if (extensions.contains("SIZE") && size > 0) {
            mail.append(" SIZE=").append(size);
        }
        // Declaring 8BITMIME is safe for a 7-bit message too, and keeps an 8-bit one intact.
        if (extensions.contains("8BITMIME")) {
            mail.append(" BODY=8BITMIME");
        }
        if (extensions.contains("SMTPUTF8") && (!ascii(sender.asString("")) || recipients.stream().anyMatch(r -> !ascii(r.asString())))) {
            mail.append(" SMTPUTF8");
        }
        return mail.toString();
    }

    private static boolean ascii(String text) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(text);
    }
}
