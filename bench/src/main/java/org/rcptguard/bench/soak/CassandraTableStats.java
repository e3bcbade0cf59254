package org.rcptguard.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.rcptguard.launcher.CassandraNode;

/**
 * Cassandra's own statistics of a keyspace's tables, read with its {@code nodetool} (the cassandra-all jar's NodeTool
 * over the node's local JMX port): memtables flushed first, so that every row is in an SSTable and counts, then
 * {@code tablestats}' compacted partition maximum and maximum tombstones per slice (last five minutes).
 */
final class CassandraTableStats {
    private static final Pattern TABLE = Pattern.compile("^\\s*Table: (\\S+)");
    private static final Pattern LARGEST = Pattern.compile("^\\s*Compacted partition maximum bytes: (\\d+)");
    private static final Pattern TOMBSTONES = Pattern.compile("^\\s*Maximum tombstones per slice \\(last five minutes\\): (\\d+)");

    private final int jmxPort;
    private final String keyspace;

    CassandraTableStats(int jmxPort, String keyspace) {
        this.jmxPort = jmxPort;
        this.keyspace = keyspace;
    }

    Figures read() {
        nodetool("flush", keyspace);
        String table = "";
        String largestTable = "–";
        long largest = 0;
        long tombstones = 0;
        for (String line : nodetool("tablestats", keyspace).split("\n")) {
            Matcher name = TABLE.matcher(line);
            Matcher size = LARGEST.matcher(line);
            Matcher slice = TOMBSTONES.matcher(line);
            if (name.find()) {
                table = name.group(1);
            } else if (size.find() && Long.parseLong(size.group(1)) > largest) {
                largest = Long.parseLong(size.group(1));
                largestTable = table;
            } else if (slice.find()) {
                tombstones = Math.max(tombstones, Long.parseLong(slice.group(1)));
            }
        }
        return new Figures(largest, largestTable, tombstones);
    }

    private String nodetool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CassandraNode.JPMS_FLAGS);
        command.add("-cp");
        command.add(classpath());
        command.add("org.apache.cassandra.tools.NodeTool");
        command.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(jmxPort)));
        command.addAll(List.of(arguments));
        return Tools.run(command);
    }

    private static String classpath() {
        try {
            return Files.readString(Paths.get(System.getProperty(CassandraNode.CLASSPATH_FILE_PROPERTY,
                CassandraNode.DEFAULT_CLASSPATH_FILE))).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest partition of the keyspace (bytes, and its table) and the most tombstones one read met. */
    static final class Figures {
        private final long largestPartitionBytes;
        private final String largestPartitionTable;
        private final long maxTombstonesPerRead;

        Figures(long largestPartitionBytes, String largestPartitionTable, long maxTombstonesPerRead) {
            this.largestPartitionBytes = largestPartitionBytes;
            this.largestPartitionTable = largestPartitionTable;
            this.maxTombstonesPerRead = maxTombstonesPerRead;
        }

        long largestPartitionBytes() {
            return largestPartitionBytes;
        }

        String largestPartitionTable() {
            return largestPartitionTable;
        }

        long maxTombstonesPerRead() {
            return maxTombstonesPerRead;
        }
    }
}
