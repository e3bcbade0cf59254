package org.rcptguard.core.content;

import java.io.IOException;
import java.io.InputStream;

/** The message as received, opened once per scanner and streamed: never held in the heap by RcptGuard. */
public interface MessageContent {
    InputStream open() throws IOException;

    long size();
}
