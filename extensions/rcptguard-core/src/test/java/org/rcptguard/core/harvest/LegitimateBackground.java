package org.rcptguard.core.harvest;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.store.DomainProbe;

/**
 * The unknown recipients a governed domain sees without any attack, minute by minute: a model of a 5,000-mailbox
 * organisation on a busy week, deliberately generous, against which the harvest thresholds are set
 * (docs/design.md, "Distributed harvests"). Rates are hourly averages; working hours (08-18 UTC on weekdays) see
 * twice the average, nights a third, weekends a quarter.
 * <ul>
 * <li>typos: 3 an hour, each a new address, from the sender's network, one of 5,000;</li>
 * <li>stale addresses: 500 departed or retired addresses, each still written to 1.5 times a day (750 a day) by its
 * own 3 correspondents, whose networks are among 1,000;</li>
 * <li>mailing lists with old members: 3 lists, each with 40 stale members of its own, each posting twice an hour
 * from its one network;</li>
 * <li>newsletter campaigns: 6 a day, each from one of 50 sender networks, naming 25 stale addresses at once.</li>
 * </ul>
 */
final class LegitimateBackground {
    static final String DOMAIN = "example.com";
    private static final int NETWORKS = 5000;
    private static final int STALE_ADDRESSES = 500;
    private static final int CORRESPONDENTS = 3;

    private final Random random;
    private int typos;

    LegitimateBackground(long seed) {
        this.random = new Random(seed);
    }

    /** The probes of the minute starting at {@code minute}. */
    List<DomainProbe> minute(Instant minute) {
        double activity = activity(minute);
        List<DomainProbe> probes = new ArrayList<>();
        for (int i = poisson(3 * activity / 60); i > 0; i--) {
            probes.add(probe("typo" + typos++, network(random.nextInt(NETWORKS))));
        }
        for (int i = poisson(STALE_ADDRESSES * 1.5 / 24 * activity / 60); i > 0; i--) {
            int address = random.nextInt(STALE_ADDRESSES);
            int correspondent = random.nextInt(CORRESPONDENTS);
            probes.add(probe("stale" + address, network(Math.floorMod(address * 7919 + correspondent * 104729, 1000))));
        }
        for (int list = 0; list < 3; list++) {
            if (poisson(2.0 * activity / 60) > 0) {
                for (int member = 0; member < 40; member++) {
                    probes.add(probe("list" + list + "-member" + member, network(NETWORKS + list)));
                }
            }
        }
        if (poisson(6.0 / 24 * activity / 60) > 0) {
            ClientNetwork esp = network(NETWORKS + 10 + random.nextInt(50));
            for (int i = 0; i < 25; i++) {
                probes.add(probe("stale" + random.nextInt(STALE_ADDRESSES), esp));
            }
        }
        return probes;
    }

    private static double activity(Instant minute) {
        ZonedDateTime time = minute.atZone(ZoneOffset.UTC);
        if (time.getDayOfWeek() == DayOfWeek.SATURDAY || time.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return 0.25;
        }
        return time.getHour() >= 8 && time.getHour() < 18 ? 2.0 : 1.0 / 3;
    }

    private int poisson(double mean) {
        int count = 0;
        for (double p = Math.exp(-mean), product = random.nextDouble(); product > p; product *= random.nextDouble()) {
            count++;
        }
        return count;
    }

    private static DomainProbe probe(String localPart, ClientNetwork network) {
        return new DomainProbe(DOMAIN, localPart + "@" + DOMAIN, network);
    }

    private static ClientNetwork network(int index) {
        return ClientNetwork.parse("10." + (index / 256) + "." + (index % 256) + ".0/24");
    }

    static Duration step() {
        return Duration.ofMinutes(1);
    }
}
