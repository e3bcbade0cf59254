package org.rcptguard.james.inline;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One reply of a backend: its code and its lines' text (the code and separator removed). */
public final class BackendReply {
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");
    private static final int MAX_TEXT = 200;

    private final int code;
    private final List<String> lines;

    BackendReply(int code, List<String> lines) {
        this.code = code;
        this.lines = List.copyOf(lines);
    }

    public int code() {
        return code;
    }

    public boolean positive() {
        return code / 100 == 2;
    }

    public boolean transientFailure() {
        return code / 100 == 4;
    }

    public boolean permanentFailure() {
        return code / 100 == 5;
    }

    /** The lines' text, the enhanced status code of each line removed. */
    public List<String> lines() {
        return lines;
    }

    /** The enhanced status code of the first line (RFC 3463), if it gives one of its own class. */
    public Optional<String> enhancedCode() {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = ENHANCED.matcher(lines.get(0));
        if (!matcher.find() || Integer.parseInt(matcher.group(1)) != code / 100) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3));
    }

    /**
     * The backend's text, fit to be repeated to a client: the first line without its enhanced code, printable ASCII
     * only (anything else becomes '?', so a backend cannot forge a reply line or a log line), at most 200 characters.
     */
    public String sanitisedText() {
        String first = lines.isEmpty() ? "" : ENHANCED.matcher(lines.get(0)).replaceFirst("");
        StringBuilder text = new StringBuilder(Math.min(first.length(), MAX_TEXT));
        for (int i = 0; i < first.length() && text.length() < MAX_TEXT; i++) {
            char c = first.charAt(i);
            text.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.toString().trim();
    }

    @Override
    public String toString() {
        return code + enhancedCode().map(enhanced -> " " + enhanced).orElse("") + " " + sanitisedText();
    }
}
