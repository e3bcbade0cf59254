package org.rcptguard.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A forked JVM's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), its thread count and open file
 * descriptors (from {@code /proc}).
 */
public final class JvmSample {
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)");

    private final long heapAfterGcKib;
    private final int threads;
    private final long openFiles;

    private JvmSample(long heapAfterGcKib, int threads, long openFiles) {
        this.heapAfterGcKib = heapAfterGcKib;
        this.threads = threads;
        this.openFiles = openFiles;
    }

    public static JvmSample of(long pid) {
        jcmd(pid, "GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!heap.find()) {
            throw new IllegalStateException("no heap figure in jcmd's GC.heap_info of " + pid);
        }
        Path proc = Paths.get("/proc", String.valueOf(pid));
        try (Stream<Path> descriptors = Files.list(proc.resolve("fd"))) {
            Matcher threads = THREADS.matcher(Files.readString(proc.resolve("status")));
            if (!threads.find()) {
                throw new IllegalStateException("no thread count in /proc/" + pid + "/status");
            }
            return new JvmSample(Long.parseLong(heap.group(1)), Integer.parseInt(threads.group(1)), descriptors.count());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long heapAfterGcKib() {
        return heapAfterGcKib;
    }

    int threads() {
        return threads;
    }

    long openFiles() {
        return openFiles;
    }

    static String jcmd(long pid, String command) {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        return Tools.run(List.of(jcmd.toString(), String.valueOf(pid), command));
    }
}
