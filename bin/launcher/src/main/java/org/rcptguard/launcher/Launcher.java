package org.rcptguard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The commands of {@code bin/rcptguard}: {@code run}, {@code cluster}, {@code help} (see usage.txt). The script only
 * builds what is missing and starts this class with {@value Layout#REPOSITORY_PROPERTY} set.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(execute(Arrays.asList(args)));
    }

    static int execute(List<String> arguments) throws InterruptedException {
        String command = arguments.isEmpty() ? "help" : arguments.get(0);
        List<String> rest = arguments.subList(Math.min(1, arguments.size()), arguments.size());
        Supervisor supervisor = new Supervisor();
        try {
            switch (command) {
                case "run":
                case "cluster":
                    Layout layout = Layout.fromSystemProperties();
                    Options options = Options.parse(command, rest, layout.defaultConf());
                    if (options.help) {
                        System.out.print(usage());
                        return 0;
                    }
                    if (command.equals("run")) {
                        return new RunCommand(layout, supervisor).run(options);
                    }
                    new ClusterCommand(layout, supervisor).run(options);
                    return 0;
                case "help":
                case "-h":
                case "--help":
                    System.out.print(usage());
                    return 0;
                default:
                    throw LaunchFailure.usage("unknown command: " + command);
            }
        } catch (LaunchFailure failure) {
            System.err.println("rcptguard: " + failure.getMessage());
            if (failure.isUsage()) {
                System.err.print(usage());
                return 2;
            }
            return 1;
        } catch (IllegalStateException | UncheckedIOException failure) {
            // a James or Cassandra that did not start: its message ends with the last lines of its log
            System.err.println("rcptguard: " + failure.getMessage());
            supervisor.exit(1);
            return 1;
        }
    }

    static String usage() {
        try (InputStream text = Launcher.class.getResourceAsStream("usage.txt")) {
            return new String(text.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
