package org.rcptguard.core;

/** A setting of rcptguard.properties has a value RcptGuard cannot use; the message names the key and the value. */
public class InvalidConfigurationException extends RuntimeException {
    public InvalidConfigurationException(String key, String value, String expected) {
        super("Invalid RcptGuard setting " + key + "=" + value + ": " + expected);
    }
}
