package org.rcptguard.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a transaction naming recipients of more than one class is kept to one true reply after DATA. */
public enum MixedRecipientMode {
    /** From the first class change on, that RCPT and every later one in the transaction is deferred. */
    DEFER_AFTER_CHANGE("defer-after-change"),
    /** Only recipients of another class than the transaction's first are deferred. */
    SAME_CLASS("same-class"),
    /** An untrusted client may name one recipient per transaction; the others get 452 4.5.3. */
    ONE_RECIPIENT_PER_TRANSACTION("one-recipient-per-transaction");

    private final String settingValue;

    MixedRecipientMode(String settingValue) {
        this.settingValue = settingValue;
    }

    public String settingValue() {
        return settingValue;
    }

    static MixedRecipientMode parse(String key, String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
            .filter(mode -> mode.settingValue.equals(wanted))
            .findFirst()
            .orElseThrow(() -> new InvalidConfigurationException(key, value, "expected one of "
                + Arrays.stream(values()).map(MixedRecipientMode::settingValue).collect(Collectors.joining(", "))));
    }
}
