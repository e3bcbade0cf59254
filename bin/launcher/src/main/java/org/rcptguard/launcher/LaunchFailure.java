package org.rcptguard.launcher;

/** Stops a command with "rcptguard: " and this message on stderr, exit code 1 (2 for a usage error). */
final class LaunchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean usage;

    LaunchFailure(String message) {
        this(message, false);
    }

    private LaunchFailure(String message, boolean usage) {
        super(message);
        this.usage = usage;
    }

    /** A command line the launcher does not understand: the usage follows the message. */
    static LaunchFailure usage(String message) {
        return new LaunchFailure(message, true);
    }

    boolean isUsage() {
        return usage;
    }
}
