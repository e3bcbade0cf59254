package org.rcptguard.core.content;

/** The scanner gave no verdict: down, past its timeout, or an answer that cannot be read. */
public class ScanFailedException extends Exception {
    public ScanFailedException(String message) {
        super(message);
    }

    public ScanFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
