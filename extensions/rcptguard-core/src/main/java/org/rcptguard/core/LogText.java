package org.rcptguard.core;

/**
 * Client-supplied text (addresses, HELO names, senders, recipients) made safe for one log line: CR, LF and every
 * other control character become visible escapes, so that a client cannot end a log line and forge the next one.
 * The backslash is escaped too, so that an escape in the log always means a control character was sent.
 */
public final class LogText {
    private LogText() {
    }

    /** {@code \r}, {@code \n}, {@code \t}, {@code \\}, other C0 and C1 controls, DEL and the Unicode line separators as {@code \}{@code uXXXX}. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r':
                    escaped.append("\\r");
                    break;
                case '\n':
                    escaped.append("\\n");
                    break;
                case '\t':
                    escaped.append("\\t");
                    break;
                case '\\':
                    escaped.append("\\\\");
                    break;
                default:
                    if (isUnsafe(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
            }
        }
        return escaped.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || isUnsafe(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUnsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
