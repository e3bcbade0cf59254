package org.rcptguard.launcher;

import java.nio.file.Path;

/** Where the launcher finds what the build made, and where it keeps its James homes and Cassandra data. */
final class Layout {
    /** Set by bin/rcptguard: the repository the launcher runs from. */
    static final String REPOSITORY_PROPERTY = "rcptguard.repository.dir";
    /** Where the homes go; the repository's target/ by default (tests give their own). */
    static final String TARGET_PROPERTY = "rcptguard.launcher.target.dir";

    private final Path repository;
    private final Path target;

    Layout(Path repository, Path target) {
        this.repository = repository.toAbsolutePath().normalize();
        this.target = target.toAbsolutePath().normalize();
    }

    static Layout fromSystemProperties() {
        String repository = System.getProperty(REPOSITORY_PROPERTY);
        if (repository == null || repository.isBlank()) {
            throw new LaunchFailure("system property " + REPOSITORY_PROPERTY + " is not set: start me with bin/rcptguard");
        }
        Path root = Path.of(repository);
        return new Layout(root, Path.of(System.getProperty(TARGET_PROPERTY, root.resolve("target").toString())));
    }

    Path defaultConf() {
        return repository.resolve("conf");
    }

    Path extensionJar() {
        return repository.resolve("extensions/rcptguard-james/target/rcptguard-extension.jar");
    }

    Path jamesClasspathFile() {
        return repository.resolve("integration-tests/james-runtime/target/james.classpath");
    }

    Path cassandraClasspathFile() {
        return repository.resolve(CassandraNode.DEFAULT_CLASSPATH_FILE);
    }

    Path runHome() {
        return target.resolve("rcptguard-home");
    }

    Path clusterHome() {
        return target.resolve("rcptguard-cluster");
    }
}
