package org.rcptguard.bench;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of the benchmark programs, checked against the names a program knows. */
public final class Options {
    /** A benchmark program: runs with its options and returns its report (Markdown). */
    public interface Program {
        String run(Options options) throws Exception;
    }

    private final Map<String, String> values = new HashMap<>();

    public Options(String[] args, Map<String, String> defaults) {
        values.putAll(defaults);
        Set<String> known = defaults.keySet();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad argument '" + args[i] + "'; expected --NAME VALUE with NAME one of "
                    + known);
            }
            values.put(name, args[++i]);
        }
    }

    /**
     * Parses the arguments against the defaults (to which {@code --report FILE} is added), runs the program, prints
     * its report and writes it to the report file.
     */
    public static void runAndReport(String[] args, Map<String, String> defaults, String reportFile, Program program)
        throws Exception {
        Map<String, String> withReport = new LinkedHashMap<>(defaults);
        withReport.put("report", reportFile);
        Options options = new Options(args, withReport);
        String report = program.run(options);
        System.out.println(report);
        Files.writeString(Paths.get(options.get("report")), report);
    }

    public String get(String name) {
        return values.get(name);
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + values.get(name) + "'");
        }
    }

    public List<String> list(String name) {
        return Arrays.asList(values.get(name).split(","));
    }
}
