package org.rcptguard.james;

import java.util.Properties;

/** The settings of {@code conf/rcptguard.properties} as read, before each part of RcptGuard validates its own. */
public final class RcptGuardProperties {
    private final Properties properties;

    public RcptGuardProperties(Properties properties) {
        this.properties = new Properties();
        this.properties.putAll(properties);
    }

    /** A copy: nobody changes the settings read at start-up. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }
}
