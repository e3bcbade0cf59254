package org.rcptguard.core.harvest;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardSettings;

/**
 * The settings of distributed-harvest detection and of the response to a harvest, with the defaults argued in
 * docs/design.md, "Distributed harvests". Immutable.
 */
public final class HarvestSettings {
    public static final String WINDOW = "harvest.window";
    public static final String UNKNOWN_THRESHOLD = "harvest.unknown.threshold";
    public static final String NETWORKS_THRESHOLD = "harvest.networks.threshold";
    public static final String REFRESH = "harvest.refresh";
    public static final String SCAN_THRESHOLD = "harvest.scan.threshold";
    public static final String DELAY_FACTOR = "harvest.delay.factor";

    private static final String PREFIX = "harvest.";
    private static final Set<String> KEYS = Set.of(WINDOW, UNKNOWN_THRESHOLD, NETWORKS_THRESHOLD, REFRESH, SCAN_THRESHOLD, DELAY_FACTOR);

    public static final HarvestSettings DEFAULTS = new HarvestSettings(Duration.ofHours(1), 300, 50, Duration.ofSeconds(30), 1, 3);

    /** A tally counts this many times the unknown-recipient threshold at most: enough to show how far over it is. */
    static final int COUNTED_BEYOND_THRESHOLD = 4;

    private final Duration window;
    private final int unknownThreshold;
    private final int networksThreshold;
    private final Duration refresh;
    private final int scanThreshold;
    private final int delayFactor;

    public HarvestSettings(Duration window, int unknownThreshold, int networksThreshold, Duration refresh,
                           int scanThreshold, int delayFactor) {
        if (window.isNegative() || window.isZero() || refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("durations must be positive: " + WINDOW + "=" + window + ", " + REFRESH + "=" + refresh);
        }
        if (unknownThreshold < 1 || networksThreshold < 1 || scanThreshold < 0 || delayFactor < 1) {
            throw new IllegalArgumentException("thresholds must be positive: " + UNKNOWN_THRESHOLD + "=" + unknownThreshold
                + ", " + NETWORKS_THRESHOLD + "=" + networksThreshold + ", " + SCAN_THRESHOLD + "=" + scanThreshold
                + ", " + DELAY_FACTOR + "=" + delayFactor);
        }
        this.window = window;
        this.unknownThreshold = unknownThreshold;
        this.networksThreshold = networksThreshold;
        this.refresh = refresh;
        this.scanThreshold = scanThreshold;
        this.delayFactor = delayFactor;
    }

    /** The {@code harvest.*} group of {@code rcptguard.properties}; any other key under the prefix is refused. */
    public static HarvestSettings from(RcptGuardSettings settings) {
        settings.rejectUnknownKeys(PREFIX, KEYS, String.join(", ", new TreeSet<>(KEYS)));
        Duration window = settings.duration(WINDOW, RcptGuardSettings.format(DEFAULTS.window));
        Duration refresh = settings.duration(REFRESH, RcptGuardSettings.format(DEFAULTS.refresh));
        if (refresh.compareTo(window) >= 0) {
            // a harvest is extended by one window per refresh that confirms it: a slower refresh would let it lapse
            throw new InvalidConfigurationException(REFRESH, settings.value(REFRESH, ""),
                "must be shorter than " + WINDOW + " (" + RcptGuardSettings.format(window) + ")");
        }
        return new HarvestSettings(window,
            settings.integer(UNKNOWN_THRESHOLD, String.valueOf(DEFAULTS.unknownThreshold), 1, 1_000_000),
            settings.integer(NETWORKS_THRESHOLD, String.valueOf(DEFAULTS.networksThreshold), 1, 1_000_000),
            refresh,
            settings.integer(SCAN_THRESHOLD, String.valueOf(DEFAULTS.scanThreshold), 0, 1_000_000),
            settings.integer(DELAY_FACTOR, String.valueOf(DEFAULTS.delayFactor), 1, 100));
    }

    /** How long a probe counts towards its domain's tally. */
    public Duration window() {
        return window;
    }

    /** A domain is under harvest when more distinct unknown recipients than this were named within the window... */
    public int unknownThreshold() {
        return unknownThreshold;
    }

    /** ...by more distinct client networks than this. */
    public int networksThreshold() {
        return networksThreshold;
    }

    /** How often each node reads the tallies into its harvest state: how stale the state may be. */
    public Duration refresh() {
        return refresh;
    }

    /** The scan threshold of a network without reputation while the domain is under harvest. */
    public int scanThreshold() {
        return scanThreshold;
    }

    /** What the greylisting delay of a network without reputation is multiplied by while the domain is under harvest. */
    public int delayFactor() {
        return delayFactor;
    }

    /** How far a tally counts (recipients and networks alike): a few times the unknown-recipient threshold. */
    public int maxCounted() {
        return COUNTED_BEYOND_THRESHOLD * Math.max(unknownThreshold, networksThreshold);
    }

    @Override
    public String toString() {
        return "HarvestSettings{window=" + window + ", unknownThreshold=" + unknownThreshold + ", networksThreshold="
            + networksThreshold + ", refresh=" + refresh + ", scanThreshold=" + scanThreshold + ", delayFactor=" + delayFactor + "}";
    }
}
