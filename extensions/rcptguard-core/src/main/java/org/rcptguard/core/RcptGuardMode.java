package org.rcptguard.core;

import java.util.Locale;

/** Whether RcptGuard's decisions are applied, or only computed, logged and counted. */
public enum RcptGuardMode {
    /** Decisions are the SMTP replies. */
    ENFORCE,
    /**
     * Every decision is computed, recorded in the store, logged and counted, but James decides as if RcptGuard were
     * absent: the hooks always decline. Switching to {@link #ENFORCE} later keeps everything learned meanwhile.
     */
    OBSERVE;

    // Computed once: every decision log line names it.
    private final String settingValue = name().toLowerCase(Locale.ROOT);

    public String settingValue() {
        return settingValue;
    }

    static RcptGuardMode parse(String key, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "enforce": return ENFORCE;
            case "observe": return OBSERVE;
            default: throw new InvalidConfigurationException(key, value, "expected enforce or observe");
        }
    }
}
