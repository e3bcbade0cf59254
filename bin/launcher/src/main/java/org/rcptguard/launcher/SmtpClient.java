package org.rcptguard.launcher;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A small, strict SMTP client over a plain socket, for driving James in tests.
 *
 * <p>It can bind a chosen local (source) address before connecting, e.g. {@code 127.0.1.2} (all of 127.0.0.0/8 is
 * loopback on Linux) or {@code ::1}, so that a test can play several client networks. Every command returns the
 * server's {@link Reply}; multi-line replies are read to their last line. Reads and connects time out after 30 s.
 *
 * <pre>{@code
 * try (SmtpClient smtp = new SmtpClient()) {
 *     smtp.connect("127.0.0.1", james.smtpPort(), "127.0.1.2");
 *     smtp.ehlo("client.example");
 *     smtp.mailFrom("<someone@sender.example>");
 *     Reply reply = smtp.rcptTo("alice@example.com");
 * }
 * }</pre>
 */
public final class SmtpClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final List<String> transcript = new ArrayList<>();

    /**
     * Connects and reads the greeting.
     *
     * @param host         server address, e.g. {@code 127.0.0.1} or {@code ::1}
     * @param port         server port
     * @param localAddress source address to bind before connecting, or {@code null} for the system's choice
     */
    public Reply connect(String host, int port, String localAddress) throws IOException {
        if (socket != null) {
            throw new IllegalStateException("already connected");
        }
        Socket newSocket = new Socket();
        try {
            if (localAddress != null) {
                newSocket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            }
            newSocket.connect(new InetSocketAddress(InetAddress.getByName(host), port), (int) TIMEOUT.toMillis());
            newSocket.setSoTimeout((int) TIMEOUT.toMillis());
            newSocket.setTcpNoDelay(true);
        } catch (IOException e) {
            newSocket.close();
            throw new IOException("cannot connect to " + host + ":" + port
                + (localAddress == null ? "" : " from " + localAddress) + ": " + e.getMessage(), e);
        }
        socket = newSocket;
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        return readReply();
    }

    /** Connects from the system's choice of source address. */
    public Reply connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    public Reply ehlo(String name) throws IOException {
        return command("EHLO " + name);
    }

    public Reply helo(String name) throws IOException {
        return command("HELO " + name);
    }

    /** {@code MAIL FROM:} followed by the raw argument, e.g. {@code <a@b.example>}, {@code <>} or {@code <a@b> SIZE=10}. */
    public Reply mailFrom(String rawArg) throws IOException {
        return command("MAIL FROM:" + rawArg);
    }

    /** {@code RCPT TO:<address>}; an argument that already starts with {@code <} is sent as it is. */
    public Reply rcptTo(String address) throws IOException {
        return command("RCPT TO:" + (address.startsWith("<") ? address : "<" + address + ">"));
    }

    /**
     * Sends DATA and, if the server answers 354, the message (line endings normalised to CRLF, dot-stuffed,
     * terminated by {@code CRLF.CRLF}).
     *
     * @return the final reply after the terminating dot, or the reply to DATA itself when it was not 354
     */
    public Reply data(String message) throws IOException {
        Reply go = command("DATA");
        if (go.code() != 354) {
            return go;
        }
        String normalised = message.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder payload = new StringBuilder();
        String[] lines = normalised.split("\n", -1);
        int count = normalised.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            if (line.startsWith(".")) {
                payload.append('.');
            }
            payload.append(line).append("\r\n");
        }
        payload.append(".\r\n");
        transcript.add("C: <" + count + " message lines>");
        transcript.add("C: .");
        out.write(payload.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readReply();
    }

    public Reply rset() throws IOException {
        return command("RSET");
    }

    public Reply noop() throws IOException {
        return command("NOOP");
    }

    public Reply quit() throws IOException {
        return command("QUIT");
    }

    /** {@code AUTH PLAIN} with the initial response (authorization identity empty). */
    public Reply authPlain(String user, String password) throws IOException {
        String token = Base64.getEncoder()
            .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + token);
    }

    /** Sends one command line (CRLF appended) and reads the reply. */
    public Reply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** Sends one line (CRLF appended) without reading anything: for pipelining. */
    public void send(String line) throws IOException {
        requireConnected();
        transcript.add("C: " + line);
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends bytes exactly as given (no CRLF added, no encoding): for malformed and hostile input. */
    public void sendBytes(byte[] bytes) throws IOException {
        requireConnected();
        transcript.add("C: <" + bytes.length + " raw bytes>");
        out.write(bytes);
        out.flush();
    }

    /** Drops the connection abruptly: a TCP reset, no QUIT. */
    public void abort() throws IOException {
        requireConnected();
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Reads one complete reply (all lines of a multi-line reply). */
    public Reply readReply() throws IOException {
        requireConnected();
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(lines);
            lines.add(line);
            transcript.add("S: " + line);
            if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
                throw new IOException("malformed SMTP reply line: '" + line + "' (after " + lines.size() + " lines)");
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                int code = Integer.parseInt(line.substring(0, 3));
                return new Reply(code, lines);
            }
            if (line.charAt(3) != '-') {
                throw new IOException("malformed SMTP reply line: '" + line + "'");
            }
        }
    }

    /** True while connected and the server has not closed the connection (checks without blocking long). */
    public boolean isConnected() {
        return socket != null && !socket.isClosed();
    }

    /** Waits for the server to close the connection: true if it did within the timeout. */
    public boolean awaitServerClose(Duration timeout) throws IOException {
        requireConnected();
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    /** What was sent and received so far ("C: ..." / "S: ..."), for assertion messages. */
    public List<String> transcript() {
        return new ArrayList<>(transcript);
    }

    public InetSocketAddress localAddress() {
        requireConnected();
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    private String readLine(List<String> linesSoFar) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed by the server"
                    + (linesSoFar.isEmpty() && line.size() == 0 ? "" : " in the middle of a reply: "
                    + String.join(" | ", linesSoFar) + " | " + line.toString(StandardCharsets.ISO_8859_1)));
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private void requireConnected() {
        if (socket == null) {
            throw new IllegalStateException("not connected: call connect(...) first");
        }
    }
}
