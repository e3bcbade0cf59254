package org.rcptguard.core.content;

/** A content scanner asked at the end of DATA (rspamd, ClamAV). Blocking, and bounded by the scanner's own timeout. */
public interface ContentScanner {
    /** The name used in settings, metrics, logs and health checks ({@code rspamd}, {@code clamd}). */
    String name();

    Verdict scan(Envelope envelope, MessageContent message) throws ScanFailedException;

    /** A cheap liveness probe for the health check ({@code PING}). */
    void ping() throws ScanFailedException;
}
