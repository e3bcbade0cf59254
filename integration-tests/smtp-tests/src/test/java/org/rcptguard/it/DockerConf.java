package org.rcptguard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.rcptguard.launcher.JamesServerProcess;

/**
 * The configuration of the Docker image (docker/Dockerfile): the repository's conf/ with docker/conf/ on top, in a
 * directory of its own under the work directory, for {@link JamesServerProcess.Builder#confDir(Path)}.
 */
final class DockerConf {
    private DockerConf() {
    }

    static Path repositoryRoot() {
        return JamesServerProcess.projectConfDir().getParent();
    }

    /** A fresh copy of conf/ + docker/conf/. */
    static Path merged() {
        try {
            Path base = Path.of(System.getProperty("rcptguard.it.work.dir", "target/james-homes")).toAbsolutePath();
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base, "docker-conf-");
            JamesServerProcess.copyTree(JamesServerProcess.projectConfDir(), dir);
            JamesServerProcess.copyTree(repositoryRoot().resolve("docker/conf"), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
