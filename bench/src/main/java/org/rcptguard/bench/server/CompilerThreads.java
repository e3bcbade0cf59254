package org.rcptguard.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.OptionalDouble;

/**
 * CPU seconds a JVM's JIT compiler threads ({@code C1 CompilerThread<n>}, {@code C2 CompilerThread<n>}) have used, read
 * from Linux's {@code /proc/<pid>/task/<tid>/stat}: how far a JVM still is from its steady state. On two cores a
 * James JVM has one C2 thread, which was still compiling a tenth of a core's worth four minutes into a mixed load.
 */
public final class CompilerThreads {
    /** Linux's USER_HZ, the unit of utime and stime in /proc: 100 on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private CompilerThreads() {
    }

    /** The compiler threads' CPU seconds summed over these processes; empty where /proc cannot tell (not Linux). */
    public static OptionalDouble cpuSeconds(List<Long> pids) {
        double seconds = 0;
        for (long pid : pids) {
            Path tasks = Paths.get("/proc", String.valueOf(pid), "task");
            if (!Files.isDirectory(tasks)) {
                return OptionalDouble.empty();
            }
            seconds += cpuSeconds(tasks);
        }
        return OptionalDouble.of(seconds);
    }

    private static double cpuSeconds(Path tasks) {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                        ticks += ticks(Files.readString(thread.resolve("stat")));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended between the listing and the read: a compiler thread the JVM retired
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** utime + stime of one {@code stat} line: fields 14 and 15, counted after the command name's closing parenthesis. */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
