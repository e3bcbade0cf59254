package org.rcptguard.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * A Java agent for a forked James ({@code -javaagent}): at JVM exit, once James's own shutdown hook has logged
 * {@code JAMES server stopped}, writes the names of the threads still alive to {@value #FILE} in James's home. JDK
 * classes only: it runs on James's class path.
 */
public final class ThreadsAtExit {
    static final String FILE = "threads-at-exit.txt";
    private static final String STOPPED = "JAMES server stopped";

    private ThreadsAtExit() {
    }

    public static void premain(String arguments) {
        Path home = Paths.get(System.getProperty("working.directory"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> writeThreadsOnceJamesStopped(home), "threads-at-exit"));
    }

    private static void writeThreadsOnceJamesStopped(Path home) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(8));
        try {
            while (!Files.readString(home.resolve("james.log")).contains(STOPPED) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            String header = Files.readString(home.resolve("james.log")).contains(STOPPED) ? STOPPED : "James did not stop";
            String threads = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.joining("\n"));
            Files.writeString(home.resolve(FILE), header + "\n" + threads + "\n");
        } catch (IOException | InterruptedException e) {
            e.printStackTrace();
        }
    }

    /** This class as an agent jar in {@code directory}. */
    static Path agentJar(Path directory) throws IOException {
        String entry = ThreadsAtExit.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", ThreadsAtExit.class.getName());
        Path jar = directory.resolve("threads-at-exit.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(ThreadsAtExit.class.getClassLoader().getResourceAsStream(entry).readAllBytes());
            jarOut.closeEntry();
        }
        return jar;
    }
}
