package org.rcptguard.cassandra.footprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.NearCachedStores;
import org.rcptguard.cassandra.RcptGuardCqlSessionFactory;
import org.rcptguard.launcher.CassandraNode;
import org.rcptguard.core.ClientNetwork;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.Triplet;
import org.rcptguard.core.TripletRecord;
import org.rcptguard.core.store.StoreLimits;

/**
 * Measures what the Cassandra store takes per million triplets: writes them into a fresh single node, has the
 * memtables flushed, and reports the on-disk size of each table's SSTable components. The bloom filter
 * ({@code Filter.db}) is what stays in memory (off heap). Run by {@code bin/measure-cassandra}; it reports, it does
 * not assert.
 */
public final class CassandraFootprint {
    public static void main(String[] args) throws Exception {
        int triplets = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path workDir = Paths.get("target", "cassandra-footprint").toAbsolutePath();
        try (CassandraNode node = CassandraNode.builder().name("footprint").workDir(workDir).heap("512m").build().start()) {
            Properties settings = new Properties();
            settings.setProperty(CassandraStoreConfiguration.CONTACT_POINTS,
                node.contactPoint().getHostString() + ":" + node.contactPoint().getPort());
            settings.setProperty(CassandraStoreConfiguration.KEYSPACE, "footprint");
            settings.setProperty(CassandraStoreConfiguration.TIMEOUT, "10s");
            RcptGuardConfiguration configuration = RcptGuardConfiguration.defaults();
            try (CassandraStores stores = new RcptGuardCqlSessionFactory(CassandraStoreConfiguration.fromProperties(settings))
                .open(Clock.systemUTC(), StoreLimits.of(configuration))) {
                Instant start = Instant.now();
                ExecutorService writers = Executors.newFixedThreadPool(64);
                Instant now = Instant.now();
                for (int i = 0; i < triplets; i++) {
                    int index = i;
                    writers.execute(() -> stores.tripletStore().save(new Triplet(
                        ClientNetwork.parse("10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + ".0/24"),
                        "sender" + (index % 5000) + "@sender-domain.example", "user" + index + "@example.com"),
                        TripletRecord.firstSeen(now), Duration.ofDays(2)));
                }
                writers.shutdown();
                writers.awaitTermination(1, TimeUnit.HOURS);
                Duration took = Duration.between(start, Instant.now());
                System.out.printf("wrote %,d triplets in %d s (%,.0f writes/s)%n", triplets, took.toSeconds(),
                    triplets / Math.max(1.0, took.toMillis() / 1000.0));
                stores.session().execute("ALTER TABLE footprint.rcptguard_triplets WITH memtable_flush_period_in_ms = 1000");
                Thread.sleep(15_000);
                scanAtStart(stores);
            }
            report(workDir.resolve("data").resolve("footprint"), triplets);
        }
    }

    /** What a node starting on this greylist waits for: its triplet filter's scan, before first contacts cost no read. */
    private static void scanAtStart(CassandraStores stores) throws Exception {
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        try (NearCachedStores node = new NearCachedStores(stores, Clock.systemUTC(), Duration.ofMinutes(5))) {
            while (!node.tripletFilterAnswers()) {
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(30)) {
                    throw new IllegalStateException("the triplet filter did not answer within 30 minutes");
                }
                Thread.sleep(100);
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("a starting node's triplet filter answered after %,d ms: %,d entries (%,.0f a second),"
                + " heap %+,d MiB%n", took, node.tripletFilterEntries(),
                node.tripletFilterEntries() / Math.max(0.001, took / 1000.0),
                (usedHeap() - heapBefore) >> 20);
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static void report(Path keyspaceDir, int triplets) throws IOException {
        try (Stream<Path> tables = Files.list(keyspaceDir)) {
            tables.sorted().forEach(table -> {
                Map<String, Long> bytesByComponent = new TreeMap<>();
                try (Stream<Path> files = Files.walk(table)) {
                    files.filter(Files::isRegularFile).forEach(file -> {
                        String name = file.getFileName().toString();
                        String component = name.substring(name.lastIndexOf('-') + 1);
                        bytesByComponent.merge(component, file.toFile().length(), Long::sum);
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long total = bytesByComponent.values().stream().mapToLong(Long::longValue).sum();
                if (total == 0) {
                    return;
                }
                System.out.printf("%s: %,d MiB on disk, %.0f bytes per triplet%n", table.getFileName(), total >> 20,
                    (double) total / triplets);
                bytesByComponent.forEach((component, bytes) -> System.out.printf("    %-16s %,12d bytes  %6.1f per triplet%n",
                    component, bytes, (double) bytes / triplets));
            });
        }
    }
}
