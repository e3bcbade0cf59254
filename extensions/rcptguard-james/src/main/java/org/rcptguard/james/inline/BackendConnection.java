package org.rcptguard.james.inline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.rcptguard.core.RcptGuardSettings.HostPort;

/**
 * One SMTP connection to a backend: commands and their replies, each reply awaited at most the timeout in force.
 * A reply line longer than 2,000 bytes, a reply of more than 100 lines, or a line that is not a reply ends the
 * session as a broken one ({@link IOException}).
 */
final class BackendConnection implements Closeable {
    private static final int MAX_LINE = 2_000;
    private static final int MAX_LINES = 100;

    private final Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean encrypted;

    private BackendConnection(Socket socket) throws IOException {
        this.socket = socket;
        streams(socket);
    }

    private void streams(Socket over) throws IOException {
        this.in = new BufferedInputStream(over.getInputStream());
        this.out = new BufferedOutputStream(over.getOutputStream(), 64 * 1024);
    }

    /**
     * After the backend's 220 to STARTTLS: the TLS handshake, then every command over it. The certificate is not
     * checked (opportunistic TLS, RFC 7435: it protects from passive listeners, as MTAs relay by default).
     */
    void startTls(String host, int port) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            tls.startHandshake();
            streams(tls);
            encrypted = true;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
    }

    boolean encrypted() {
        return encrypted;
    }

    /** Opportunistic TLS: any certificate. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    static BackendConnection open(HostPort backend, Duration connectTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(backend.host(), backend.port()), millis(connectTimeout));
            socket.setTcpNoDelay(true);
            return new BackendConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** How long each following read waits. */
    void timeout(Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
    }

    BackendReply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** The stream the message is written to after DATA's 354. */
    OutputStream data() {
        return out;
    }

    BackendReply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = line();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != '-' && line.charAt(3) != ' ')) {
                throw new IOException("not an SMTP reply from the backend");
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new BackendReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
        throw new IOException("the backend's reply has too many lines");
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the backend closed the connection");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("the backend's reply line is too long");
            }
            line.write(b);
        }
    }

    /** QUIT without waiting long for its reply: the outcome is known already. */
    void quit() {
        try {
            socket.setSoTimeout(1_000);
            command("QUIT");
        } catch (IOException e) {
            // the backend closing first is fine
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}
