package org.rcptguard.james;

import java.io.IOException;
import java.io.InputStream;

import javax.mail.MessagingException;

import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.mailet.Mail;
import org.rcptguard.core.content.MessageContent;

/** James's spooled copy of a message at the end of DATA (its Received header first), streamed each time it is opened. */
public final class SpooledMessage {
    private SpooledMessage() {
    }

    public static MessageContent of(Mail mail) {
        return new MessageContent() {
            @Override
            public InputStream open() throws IOException {
                try {
                    return new MimeMessageInputStream(mail.getMessage());
                } catch (MessagingException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public long size() {
                try {
                    return mail.getMessageSize();
                } catch (MessagingException e) {
                    return 0;
                }
            }
        };
    }
}
