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
    /** A generation's or region heap's line of {@code GC.heap_info}, whatever the collector: "... total 1234K, used 567K". */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

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

    /** Heap used right after a full collection ({@code GC.run}, then {@code GC.heap_info}, metaspace excluded), in KiB. */
    long heapUsedAfterGcKib() {
        jcmd("GC.run");
        long used = 0;
        for (String line : jcmd("GC.heap_info").lines().toArray(String[]::new)) {
            Matcher matcher = USED.matcher(line);
            if (matcher.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                used += Long.parseLong(matcher.group(1));
            }
        }
        if (used == 0) {
            throw new IllegalStateException("no heap figure in GC.heap_info of " + pid);
        }
        return used;
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
