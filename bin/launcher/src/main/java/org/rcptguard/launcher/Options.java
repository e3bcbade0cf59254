package org.rcptguard.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The options of {@code run} and {@code cluster}. */
final class Options {
    final Path conf;
    final boolean demoDelays;
    final boolean ipv6;
    final boolean fresh;
    final boolean help;

    private Options(Path conf, boolean demoDelays, boolean ipv6, boolean fresh, boolean help) {
        this.conf = conf;
        this.demoDelays = demoDelays;
        this.ipv6 = ipv6;
        this.fresh = fresh;
        this.help = help;
    }

    /** {@code --ipv6} belongs to run, {@code --fresh} to cluster; {@code --conf} is checked here. */
    static Options parse(String command, List<String> arguments, Path defaultConf) {
        Path conf = defaultConf;
        boolean demoDelays = false;
        boolean ipv6 = false;
        boolean fresh = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--conf")) {
                if (i + 1 >= arguments.size()) {
                    throw new LaunchFailure("--conf needs a directory");
                }
                conf = Path.of(arguments.get(++i));
            } else if (argument.startsWith("--conf=")) {
                conf = Path.of(argument.substring("--conf=".length()));
            } else if (argument.equals("--demo-delays")) {
                demoDelays = true;
            } else if (argument.equals("--ipv6") && command.equals("run")) {
                ipv6 = true;
            } else if (argument.equals("--fresh") && command.equals("cluster")) {
                fresh = true;
            } else if (argument.equals("-h") || argument.equals("--help")) {
                return new Options(conf, demoDelays, ipv6, fresh, true);
            } else {
                throw LaunchFailure.usage("unknown option for " + command + ": " + argument);
            }
        }
        return new Options(confDirectory(conf), demoDelays, ipv6, fresh, false);
    }

    private static Path confDirectory(Path conf) {
        if (!Files.isDirectory(conf)) {
            throw new LaunchFailure("configuration directory not found: " + conf);
        }
        Path absolute = conf.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute.resolve("smtpserver.xml"))) {
            throw new LaunchFailure(absolute + " does not look like a James configuration directory (no smtpserver.xml)");
        }
        return absolute;
    }
}
