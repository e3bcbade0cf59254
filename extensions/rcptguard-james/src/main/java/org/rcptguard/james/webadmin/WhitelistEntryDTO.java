package org.rcptguard.james.webadmin;

import org.rcptguard.core.WhitelistEntry;

/** One whitelist entry as WebAdmin shows it: kind, value and where it is set. */
public class WhitelistEntryDTO {
    /** Set in rcptguard.properties: read-only here. */
    public static final String SOURCE_CONFIGURATION = "configuration";
    /** Set through WebAdmin: shared by the cluster. */
    public static final String SOURCE_WEBADMIN = "webadmin";

    private final String kind;
    private final String value;
    private final String source;

    WhitelistEntryDTO(WhitelistEntry entry, String source) {
        this.kind = entry.kind().settingValue();
        this.value = entry.value();
        this.source = source;
    }

    public String getKind() {
        return kind;
    }

    public String getValue() {
        return value;
    }

    public String getSource() {
        return source;
    }
}
