package org.rcptguard.bench.smtp;

/** One SMTP reply: the code and the text of its last line. */
public final class SmtpReply {
    private final int code;
    private final String text;

    public SmtpReply(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    public boolean isPositive() {
        return code / 100 == 2 || code / 100 == 3;
    }

    public boolean isTransient() {
        return code / 100 == 4;
    }

    public boolean isPermanent() {
        return code / 100 == 5;
    }

    @Override
    public String toString() {
        return code + " " + text;
    }
}
