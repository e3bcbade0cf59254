package org.rcptguard.bench.smtp;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The workloads of the benchmark; see {@link TrafficModel} for what each session sends. */
public enum Scenario {
    /** Clients whose triplets passed (half of them auto-whitelisted), valid recipients, a message each. */
    STEADY,
    /** New triplets only: every recipient valid, every one deferred by a greylisting server. */
    FIRST_CONTACT,
    /** New scanner networks, ten recipients a transaction, nine in ten unknown. */
    SCAN,
    /** Sessions of the three above, 80 / 10 / 10. */
    MIXED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario parse(String label) {
        for (Scenario scenario : values()) {
            if (scenario.label().equals(label)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + label + "', expected one of "
            + Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(", ")));
    }
}
