package org.rcptguard.james.inline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of SMTP DATA (RFC 5321 4.5.2): a line that starts with '.' gets another '.' before it, and
 * {@link #finish()} ends the last line if it is not ended, then writes the terminating {@code .CRLF}.
 * The message's own line endings pass unchanged.
 */
final class DotStuffingOutputStream extends FilterOutputStream {
    private static final byte[] END = {'.', '\r', '\n'};
    private static final byte[] CRLF_END = {'\r', '\n', '.', '\r', '\n'};

    private boolean atLineStart = true;
    private long written;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = b == '\n';
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (atLineStart && bytes[i] == '.') {
                out.write(bytes, start, i - start);
                out.write('.');
                start = i;
            }
            atLineStart = bytes[i] == '\n';
        }
        out.write(bytes, start, end - start);
        written += length;
    }

    /** Ends the data: {@code CRLF.CRLF}, or {@code .CRLF} after a complete last line (or an empty message). */
    void finish() throws IOException {
        out.write(atLineStart ? END : CRLF_END);
        out.flush();
    }

    /** Bytes of the message written, before stuffing. */
    long written() {
        return written;
    }

    @Override
    public void close() {
        // The socket belongs to the session; finish() ends the data.
    }
}
