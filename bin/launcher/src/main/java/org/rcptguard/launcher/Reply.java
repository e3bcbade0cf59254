package org.rcptguard.launcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply, possibly multi-line, exactly as received.
 *
 * <p>{@link #asString()} is byte-exact: the reply lines with their CRLF terminators, decoded as ISO-8859-1 so that
 * every char is one received byte. {@link #text()} is the human part: the text after the code and separator of
 * each line, joined with {@code \n}.
 */
public final class Reply {
    private static final Pattern ENHANCED_STATUS = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private final int code;
    private final List<String> lines;

    Reply(int code, List<String> lines) {
        this.code = code;
        this.lines = Collections.unmodifiableList(new ArrayList<>(lines));
    }

    /** The three-digit reply code, e.g. 250. */
    public int code() {
        return code;
    }

    /** The raw lines, without CRLF, e.g. {@code 250-mx.example.com Hello}. */
    public List<String> lines() {
        return lines;
    }

    /** The text of all lines (after "NNN-" / "NNN "), joined with a newline. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            String line = lines.get(i);
            text.append(line.length() > 4 ? line.substring(4) : "");
        }
        return text.toString();
    }

    /** The enhanced status code of the first line (RFC 3463), e.g. {@code 4.7.1}, or an empty string. */
    public String enhancedStatus() {
        Matcher matcher = ENHANCED_STATUS.matcher(text());
        return matcher.find() ? matcher.group(1) : "";
    }

    /** The reply exactly as received: every line with its CRLF. */
    public String asString() {
        StringBuilder raw = new StringBuilder();
        for (String line : lines) {
            raw.append(line).append("\r\n");
        }
        return raw.toString();
    }

    /** The reply bytes exactly as received. */
    public byte[] bytes() {
        return asString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public boolean isPositiveCompletion() {
        return code >= 200 && code < 300;
    }

    public boolean isPositiveIntermediate() {
        return code >= 300 && code < 400;
    }

    public boolean isTransientNegative() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentNegative() {
        return code >= 500 && code < 600;
    }

    /** The raw reply without the final CRLF, lines separated by CRLF: readable in assertion messages. */
    @Override
    public String toString() {
        return String.join("\r\n", lines);
    }
}
