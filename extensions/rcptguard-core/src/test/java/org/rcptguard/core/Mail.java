package org.rcptguard.core;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

/** Typed addresses and answers for tests, written as strings. */
public final class Mail {
    private Mail() {
    }

    public static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (AddressException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** {@code <>} or empty: the null sender. */
    public static MaybeSender sender(String sender) {
        return sender == null || sender.isBlank() || sender.equals("<>") ? MaybeSender.nullSender()
            : MaybeSender.of(address(sender));
    }

    /** What a source with no more to say than the class answers: {@code known}, {@code unknown}, {@code cannot tell}. */
    public static DirectoryAnswer answer(RecipientClass recipientClass) {
        String reason = recipientClass == RecipientClass.VALID ? "known"
            : recipientClass == RecipientClass.INVALID ? "unknown" : "cannot tell";
        return new DirectoryAnswer(recipientClass, null, false, reason);
    }
}
