package org.rcptguard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The live threads and the heap after a full GC of another JVM (a forked James), read with the JDK's own
 * {@code jcmd}: nothing to install in James, and the numbers are the JVM's, not the operating system's.
 */
final class JvmGauges {
    /** The last line of {@code GC.class_histogram}: "Total", instances, bytes. */
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final long pid;

    JvmGauges(long pid) {
        this.pid = pid;
    }

    /** The names of the Java threads alive now ({@code Thread.print}: one header line, starting with a quote, per thread). */
    List<String> threads() {
        return jcmd("Thread.print").lines()
            .filter(line -> line.startsWith("\""))
            .map(line -> line.substring(1, line.indexOf('"', 1)))
            .sorted()
            .collect(Collectors.toList());
    }

    /**
     * The live heap right after a full collection, in KiB: the total of {@code GC.class_histogram}, whose full GC and
     * count run in one safepoint. (Reading {@code GC.heap_info} after a separate {@code GC.run} also counted what
     * James allocated between the two commands, a second or more on a loaded machine: a harvest refresh falling
     * in that gap showed as 20 MB of heap "kept after GC" that the next full GC found to be garbage.)
     */
    long heapUsedAfterGcKib() {
        Matcher total = TOTAL.matcher(jcmd("GC.class_histogram"));
        if (!total.find()) {
            throw new IllegalStateException("no total in GC.class_histogram of " + pid);
        }
        return Long.parseLong(total.group(1)) / 1024;
    }

    private String jcmd(String command) {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
