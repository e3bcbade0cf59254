package org.rcptguard.core.content;

/** Text from a scanner made safe for one SMTP reply line or one header value: printable ASCII, one line, bounded. */
final class Sanitised {
    private static final int MAX_LENGTH = 200;

    private Sanitised() {
    }

    static String text(String raw) {
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (char c : raw.toCharArray()) {
            if (c > ' ' && c < 127) {
                if (space && out.length() > 0) {
                    out.append(' ');
                }
                out.append(c);
                space = false;
            } else {
                space = true;
            }
            if (out.length() >= MAX_LENGTH) {
                break;
            }
        }
        return out.toString();
    }
}
