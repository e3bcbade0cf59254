package org.rcptguard.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** What every JVM the launcher forks (James, Cassandra) has in common. */
final class ChildProcesses {
    private static final Path SH = Path.of("/bin/sh");

    private ChildProcesses() {
    }

    /**
     * The command, started with SIGINT ignored (an ignored signal stays ignored across exec, and the JVM then leaves
     * it so). Ctrl-C in a terminal signals the whole process group: the launcher alone must get it, so that it stops
     * the James nodes first and Cassandra last. SIGTERM still stops the child.
     */
    static List<String> ignoringInterrupt(List<String> command) {
        if (!Files.isExecutable(SH)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SH.toString(), "-c", "trap '' INT; exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Copies the lines of a child's output to its log file and to stdout after {@code prefix}, until it ends. */
    static void copyLines(InputStream output, Path log, String prefix) {
        Thread copier = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                 Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    file.write(line);
                    file.write('\n');
                    file.flush();
                    System.out.println(prefix + line);
                }
            } catch (IOException closed) {
                // the child is gone and the JDK closed its pipe: nothing more to copy
            }
        }, "output-" + log.getParent().getFileName());
        copier.setDaemon(true);
        copier.start();
    }
}
