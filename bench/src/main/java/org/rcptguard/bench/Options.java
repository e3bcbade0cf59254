package org.rcptguard.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of the benchmark programs, checked against the names a program knows. */
public final class Options {
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
