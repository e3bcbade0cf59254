package org.rcptguard.core;

import java.util.Locale;

/** Where a passed INVALID recipient is rejected. */
public enum RejectMode {
    /** 550 5.1.1 in reply to RCPT TO. */
    RCPT,
    /** Accepted at RCPT; the whole transaction gets 550 5.1.1 after the body, which the scanner had to send. */
    DATA;

    static RejectMode parse(String key, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "rcpt": return RCPT;
            case "data": return DATA;
            default: throw new InvalidConfigurationException(key, value, "expected rcpt or data");
        }
    }
}
