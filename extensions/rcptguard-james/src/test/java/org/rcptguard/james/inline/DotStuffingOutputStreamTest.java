package org.rcptguard.james.inline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {
    private static String stuffed(String message, boolean byteByByte) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                out.write(b);
            }
        } else {
            out.write(bytes, 0, bytes.length);
        }
        out.finish();
        assertThat(out.written()).isEqualTo(bytes.length);
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aLeadingDotIsDoubledOnEveryLineAndOnlyThere() throws IOException {
        String message = ".first\r\nmiddle.dot\r\n.\r\n..two\r\n";
        String expected = "..first\r\nmiddle.dot\r\n..\r\n...two\r\n.\r\n";
        assertThat(stuffed(message, false)).isEqualTo(expected);
        assertThat(stuffed(message, true)).isEqualTo(expected);
    }

    @Test
    void anUnendedLastLineIsEndedBeforeTheTerminatingDot() throws IOException {
        assertThat(stuffed("Subject: x\r\n\r\nno newline", false)).isEqualTo("Subject: x\r\n\r\nno newline\r\n.\r\n");
        assertThat(stuffed("", false)).isEqualTo(".\r\n");
    }

    @Test
    void eightBitBytesAndBareLineFeedsPassUnchanged() throws IOException {
        assertThat(stuffed("caf\u00e9\n.x\n", false)).isEqualTo("caf\u00e9\n..x\n.\r\n");
    }
}
