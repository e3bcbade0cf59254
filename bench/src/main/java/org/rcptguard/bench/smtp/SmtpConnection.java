package org.rcptguard.bench.smtp;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A minimal SMTP client connection for load: commands are written in batches (one TCP write per batch, as
 * RFC 2920 pipelining allows) and replies read one by one. No TLS, no AUTH: an MX's view of the world.
 */
public final class SmtpConnection implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(128);
    private boolean pipelining;

    private SmtpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
    }

    /**
     * Connects from {@code localAddress} (any 127.x.y.z works on Linux loopback; {@code null}: the system's choice),
     * reads the banner and says EHLO.
     */
    public static SmtpConnection open(String host, int port, String localAddress, String heloName, Duration timeout)
        throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            }
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            SmtpConnection connection = new SmtpConnection(socket);
            connection.expect(connection.readReply(), 220, "banner");
            connection.send("EHLO " + heloName);
            connection.pipelining = connection.readEhlo();
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether the server offered PIPELINING in its EHLO reply. */
    public boolean pipelining() {
        return pipelining;
    }

    /** Writes the commands in one TCP write. */
    public void send(String... commands) throws IOException {
        send(List.of(commands));
    }

    public void send(List<String> commands) throws IOException {
        StringBuilder batch = new StringBuilder(64 * commands.size());
        for (String command : commands) {
            batch.append(command).append("\r\n");
        }
        out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply. */
    public SmtpReply readReply() throws IOException {
        while (true) {
            String text = readLine();
            if (text.length() < 3) {
                throw new IOException("malformed SMTP reply line: '" + text + "'");
            }
            boolean last = text.length() == 3 || text.charAt(3) == ' ';
            if (last) {
                return new SmtpReply(parseCode(text), text.length() > 4 ? text.substring(4) : "");
            }
        }
    }

    public void quit() {
        try {
            send("QUIT");
            readReply();
        } catch (IOException e) {
            // the server may close first: nothing to learn from it
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private boolean readEhlo() throws IOException {
        boolean offered = false;
        while (true) {
            String text = readLine();
            int code = parseCode(text);
            if (code != 250) {
                throw new IOException("EHLO refused: " + text);
            }
            if (text.length() > 4 && text.substring(4).trim().equalsIgnoreCase("PIPELINING")) {
                offered = true;
            }
            if (text.length() == 3 || text.charAt(3) == ' ') {
                return offered;
            }
        }
    }

    private static int parseCode(String text) throws IOException {
        try {
            return Integer.parseInt(text.substring(0, 3));
        } catch (NumberFormatException e) {
            throw new IOException("malformed SMTP reply line: '" + text + "'");
        }
    }

    private void expect(SmtpReply reply, int code, String what) throws IOException {
        if (reply.code() != code) {
            throw new IOException("unexpected " + what + " reply: " + reply);
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }
}
