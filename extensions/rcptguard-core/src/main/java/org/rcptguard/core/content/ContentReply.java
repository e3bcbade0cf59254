package org.rcptguard.core.content;

import java.util.List;
import java.util.Optional;

/**
 * The reply to the end of DATA that the content verdicts call for: accept (with the header changes the scanners asked
 * for), or refuse with an SMTP code and a text that starts with its enhanced status code.
 */
public final class ContentReply {
    public enum Kind { ACCEPT, DEFER, REJECT }

    private static final ContentReply SCAN_FAILED = refuse(Kind.DEFER, 451, "4.3.0 Content scan unavailable, please try again later");

    private final Kind kind;
    private final int code;
    private final String text;
    private final List<HeaderChange> headerChanges;
    private final Optional<String> subject;

    private ContentReply(Kind kind, int code, String text, List<HeaderChange> headerChanges, Optional<String> subject) {
        this.kind = kind;
        this.code = code;
        this.text = text;
        this.headerChanges = List.copyOf(headerChanges);
        this.subject = subject;
    }

    public static ContentReply accept(List<HeaderChange> headerChanges, Optional<String> subject) {
        return new ContentReply(Kind.ACCEPT, 250, "", headerChanges, subject);
    }

    static ContentReply scanFailed() {
        return SCAN_FAILED;
    }

    static ContentReply refuse(Kind kind, int code, String text) {
        return new ContentReply(kind, code, text, List.of(), Optional.empty());
    }

    public Kind kind() {
        return kind;
    }

    public boolean accepted() {
        return kind == Kind.ACCEPT;
    }

    public int code() {
        return code;
    }

    /** Starts with the enhanced status code, e.g. {@code 5.7.1 Spam message rejected: Gtube pattern}. */
    public String text() {
        return text;
    }

    public List<HeaderChange> headerChanges() {
        return headerChanges;
    }

    public Optional<String> subject() {
        return subject;
    }

    @Override
    public String toString() {
        return accepted() ? "accept " + headerChanges : code + " " + text;
    }
}
