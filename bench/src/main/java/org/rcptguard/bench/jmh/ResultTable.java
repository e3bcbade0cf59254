package org.rcptguard.bench.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a JMH JSON result ({@code -rf json}) as a compact table: benchmark (and its parameters), score and its
 * error (decisions per second for a throughput run), and bytes allocated per operation ({@code gc.alloc.rate.norm},
 * when run with {@code -prof gc}). Used by {@code bench/run-jmh}; reads JSON itself, so the script needs nothing but
 * java.
 */
public final class ResultTable {
    private static final String ALLOCATION = "gc.alloc.rate.norm";

    private ResultTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResultTable <jmh-result.json>");
            System.exit(2);
        }
        print(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), System.out);
    }

    /** One row of the table. */
    static final class Row {
        final String benchmark;
        final double score;
        final double error;
        final String unit;
        final double bytesPerOp;

        Row(String benchmark, double score, double error, String unit, double bytesPerOp) {
            this.benchmark = benchmark;
            this.score = score;
            this.error = error;
            this.unit = unit;
            this.bytesPerOp = bytesPerOp;
        }
    }

    static void print(String json, PrintStream out) {
        List<Row> rows = rows(json);
        if (rows.isEmpty()) {
            out.println("(no benchmark results)");
            return;
        }
        boolean throughput = rows.stream().allMatch(row -> row.unit.equals("ops/s"));
        String scoreHeader = throughput ? "decisions/s" : "score";
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"benchmark", scoreHeader, "error", "bytes/decision"});
        for (Row row : rows) {
            cells.add(new String[] {row.benchmark, number(row.score) + (throughput ? "" : " " + row.unit),
                Double.isNaN(row.error) ? "" : "± " + number(row.error),
                Double.isNaN(row.bytesPerOp) ? "-" : bytes(row.bytesPerOp)});
        }
        int[] widths = new int[4];
        cells.forEach(line -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        });
        for (String[] line : cells) {
            out.println(String.format(Locale.ROOT, "%-" + widths[0] + "s  %" + widths[1] + "s  %-" + widths[2] + "s  %"
                + widths[3] + "s", (Object[]) line));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Row> rows(String json) {
        List<Row> rows = new ArrayList<>();
        for (Object item : (List<Object>) new Json(json).parse()) {
            Map<String, Object> result = (Map<String, Object>) item;
            String benchmark = (String) result.get("benchmark");
            benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Object params = result.get("params");
            if (params instanceof Map && !((Map<String, Object>) params).isEmpty()) {
                benchmark += ((Map<String, Object>) params).entrySet().stream()
                    .map(param -> param.getKey() + "=" + param.getValue())
                    .collect(Collectors.joining(",", " [", "]"));
            }
            Map<String, Object> primary = (Map<String, Object>) result.get("primaryMetric");
            Object secondary = result.get("secondaryMetrics");
            Object allocation = secondary instanceof Map ? ((Map<String, Object>) secondary).get(ALLOCATION) : null;
            double bytes = allocation instanceof Map ? number(((Map<String, Object>) allocation).get("score")) : Double.NaN;
            rows.add(new Row(benchmark, number(primary.get("score")), number(primary.get("scoreError")),
                (String) primary.get("scoreUnit"), bytes));
        }
        return rows;
    }

    /** JMH writes NaN and the infinities as strings. */
    private static double number(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String) {
            try {
                return Double.parseDouble((String) value);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%,.2f", value);
    }

    private static String bytes(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%,.0f" : "%.2f", value);
    }

    /** Just enough JSON: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object parse() {
            Object value = value();
            skipSpace();
            if (at != text.length()) {
                throw error("trailing text");
            }
            return value;
        }

        private Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> object = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return object;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a name");
                }
                String name = string();
                skipSpace();
                expect(':');
                object.put(name, value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return object;
                }
            }
        }

        private List<Object> array() {
            List<Object> array = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return array;
            }
            while (true) {
                array.add(value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return array;
                }
            }
        }

        private String string() {
            StringBuilder string = new StringBuilder();
            at++;
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return string.toString();
                }
                if (c != '\\') {
                    string.append(c);
                    continue;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case 'b': string.append('\b'); break;
                    case 'f': string.append('\f'); break;
                    case 'n': string.append('\n'); break;
                    case 'r': string.append('\r'); break;
                    case 't': string.append('\t'); break;
                    case 'u':
                        string.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                        break;
                    default: string.append(escaped); break;
                }
            }
        }

        private Double number() {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw error("unexpected character '" + text.charAt(at) + "'");
            }
            return Double.valueOf(text.substring(start, at));
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("expected " + word);
            }
            at += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException("JSON: " + message + " at offset " + at);
        }
    }
}
