package org.rcptguard.cassandra;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.datastax.oss.driver.api.core.uuid.Uuids;

/**
 * What each node writes for the others to read a second later (the triplet filter's publications, the penalty
 * changes) is kept one partition a minute, each row keyed by the time-based UUID of its write: a reader asks the
 * partitions of the minutes since its last read for the rows written after it.
 */
final class MinutePartitions {
    static final String MINUTE = "minute";
    static final String WRITTEN = "written";

    private MinutePartitions() {
    }

    /** The partition of what is written at {@code instant}. */
    static Instant minute(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES);
    }

    /** The partition of a row written with {@code written} (by its writer's clock). */
    static Instant minute(UUID written) {
        return minute(Instant.ofEpochMilli(Uuids.unixTimestamp(written)));
    }

    /** The partitions holding what was written from {@code since} to {@code until}, oldest first. */
    static List<Instant> between(Instant since, Instant until) {
        List<Instant> minutes = new ArrayList<>(2);
        for (Instant minute = minute(since); !minute.isAfter(until); minute = minute.plus(Duration.ofMinutes(1))) {
            minutes.add(minute);
        }
        return minutes;
    }
}
