package org.rcptguard.core.harvest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.MutableClock;
import org.rcptguard.core.memory.MemoryDomainProbeStore;
import org.rcptguard.core.store.DomainProbe;
import org.rcptguard.core.store.ProbeTally;

/**
 * The default thresholds against {@link LegitimateBackground}: no false alarm in 90 simulated days, and a botnet on
 * top of the same background seen within a refresh of crossing them. The state is refreshed every 5 simulated
 * minutes (the tallies move little in that time; the default refresh is 30 s).
 */
class LegitimateBackgroundTest {
    private static final HarvestSettings SETTINGS = HarvestSettings.DEFAULTS;
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T00:00:00Z"));
    private final MemoryDomainProbeStore store = new MemoryDomainProbeStore(clock, SETTINGS.window(), 100_000, 100_000);
    private final HarvestState state = new HarvestState(store, new HarvestDetector(SETTINGS), SETTINGS.window(), clock);
    private final LegitimateBackground background = new LegitimateBackground(1);
    private int peakRecipients;
    private int peakNetworks;
    private int alarms;
    private boolean on;

    @Test
    void theDefaultsRaiseNoFalseAlarmInNinetyDaysOfLegitimateBackground() {
        run(Duration.ofDays(90), 0);

        System.out.println("90 days of legitimate background: peak " + peakRecipients + " unknown recipients, "
            + peakNetworks + " networks within " + SETTINGS.window() + "; " + alarms + " false alarms");
        assertThat(alarms).isZero();
        assertThat(peakRecipients).isLessThanOrEqualTo(SETTINGS.unknownThreshold());
    }

    @Test
    void aBotnetOfAHundredNetworksAtTheirScanThresholdIsSeenBeforeItNamedFourHundred() {
        // a Monday 10:00 UTC, when the background is at its busiest
        run(Duration.ofHours(10), 0);
        assertThat(on).isFalse();

        // 100 networks, each naming 10 new candidates, 40 names a minute in all
        run(Duration.ofMinutes(25), 40);

        assertThat(on).isTrue();
        assertThat(firstAlarmAfterNamed).isLessThan(400);
    }

    @Test
    void theHarvestEndsOnceTheBotnetsProbesHaveLeftTheWindow() {
        run(Duration.ofHours(10), 0);
        run(Duration.ofMinutes(25), 40);

        run(SETTINGS.window().plus(REFRESH), 0);

        assertThat(on).isFalse();
    }

    private int named;
    private int firstAlarmAfterNamed = Integer.MAX_VALUE;

    /** {@code duration} of background, with {@code botnetPerMinute} new candidates a minute from 100 networks on top. */
    private void run(Duration duration, int botnetPerMinute) {
        Instant end = clock.instant().plus(duration);
        while (clock.instant().isBefore(end)) {
            background.minute(clock.instant()).forEach(state::record);
            for (int i = 0; i < botnetPerMinute; i++, named++) {
                state.record(new DomainProbe(LegitimateBackground.DOMAIN, "guess" + named + "@" + LegitimateBackground.DOMAIN,
                    ClientNetwork.parse("172.16." + (named % 100) + ".0/24")));
            }
            clock.advance(Duration.ofMinutes(1));
            if (clock.instant().getEpochSecond() % REFRESH.getSeconds() == 0) {
                refresh();
            }
        }
    }

    private void refresh() {
        state.refresh();
        ProbeTally tally = store.tally(LegitimateBackground.DOMAIN);
        peakRecipients = Math.max(peakRecipients, tally.unknownRecipients());
        peakNetworks = Math.max(peakNetworks, tally.clientNetworks());
        boolean nowOn = state.underHarvest(LegitimateBackground.DOMAIN);
        if (nowOn && !on) {
            alarms++;
            firstAlarmAfterNamed = Math.min(firstAlarmAfterNamed, named);
        }
        on = nowOn;
    }
}
