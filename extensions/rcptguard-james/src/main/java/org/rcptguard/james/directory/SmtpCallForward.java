package org.rcptguard.james.directory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.james.core.MailAddress;
import org.rcptguard.core.DirectoryAnswer;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;

/**
 * SMTP verification against a domain's backend: connect, EHLO (HELO if refused), {@code MAIL FROM:<>},
 * {@code RCPT TO:<address>}, {@code QUIT}; never DATA, so nothing is ever delivered. The RCPT reply decides:
 * 250 → VALID; 550, 551, 553 → INVALID; any other reply, a refused greeting or MAIL, a connection failure or a
 * timeout → UNDECIDED. Each connect and each read waits at most {@code timeout}.
 */
public final class SmtpCallForward implements RecipientDirectory {
    private final String host;
    private final int port;
    private final String helo;
    private final int timeoutMillis;

    public SmtpCallForward(String host, int port, String helo, Duration timeout) {
        this.host = host;
        this.port = port;
        this.helo = helo;
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** The reason names the backend's reply code ({@code backend replied 550}). */
    @Override
    public DirectoryAnswer lookUp(MailAddress recipient) throws IOException {
        String address = recipient.asString();
        if (address.indexOf('\r') >= 0 || address.indexOf('\n') >= 0 || address.indexOf('>') >= 0) {
            return DirectoryAnswer.undecided(null, "not an address to send a backend");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            int greeting = reply(in);
            if (greeting != 220) {
                return refused("greeting", greeting);
            }
            int hello = command(out, in, "EHLO " + helo);
            if (hello != 250) {
                hello = command(out, in, "HELO " + helo);
            }
            if (hello != 250) {
                return quit(out, refused("HELO", hello));
            }
            int mail = command(out, in, "MAIL FROM:<>");
            if (mail != 250) {
                return quit(out, refused("MAIL FROM", mail));
            }
            int code = command(out, in, "RCPT TO:<" + address + ">");
            return quit(out, new DirectoryAnswer(classOf(code), null, false, "backend replied " + code));
        }
    }

    static RecipientClass classOf(int rcptReplyCode) {
        switch (rcptReplyCode) {
            case 250:
                return RecipientClass.VALID;
            case 550:
            case 551:
            case 553:
                return RecipientClass.INVALID;
            default:
                return RecipientClass.UNDECIDED;
        }
    }

    private static DirectoryAnswer refused(String step, int code) {
        return DirectoryAnswer.undecided(null, "backend replied " + code + " to " + step);
    }

    private static DirectoryAnswer quit(OutputStream out, DirectoryAnswer answer) {
        try {
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the answer is known; the backend closing first is fine
        }
        return answer;
    }

    private static int command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    /** The code of a (possibly multi-line) reply; -1 if it is not one. */
    private static int reply(BufferedReader in) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the backend closed the connection");
            }
            if (line.length() < 3) {
                return -1;
            }
            int code;
            try {
                code = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                return -1;
            }
            if (line.length() == 3 || line.charAt(3) != '-') {
                return code;
            }
        }
    }
}
