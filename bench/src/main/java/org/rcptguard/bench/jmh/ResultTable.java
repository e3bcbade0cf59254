package org.rcptguard.bench.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Prints a JMH JSON result ({@code -rf json}) as a compact table: benchmark (and its parameters), score and its
 * error (decisions per second for a throughput run), and bytes allocated per operation ({@code gc.alloc.rate.norm},
 * when run with {@code -prof gc}). Used by {@code bench/run-jmh}.
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

    static List<Row> rows(String json) {
        JsonNode results;
        try {
            results = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a JMH JSON result: " + e.getOriginalMessage(), e);
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode result : results) {
            String benchmark = result.path("benchmark").asText();
            benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            List<String> params = new ArrayList<>();
            result.path("params").fields().forEachRemaining(param -> params.add(param.getKey() + "=" + param.getValue().asText()));
            if (!params.isEmpty()) {
                benchmark += params.stream().collect(Collectors.joining(",", " [", "]"));
            }
            JsonNode primary = result.path("primaryMetric");
            rows.add(new Row(benchmark, number(primary.path("score")), number(primary.path("scoreError")),
                primary.path("scoreUnit").asText(), number(result.path("secondaryMetrics").path(ALLOCATION).path("score"))));
        }
        return rows;
    }

    /** JMH writes NaN and the infinities as strings; a missing figure is NaN too. */
    private static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText());
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
}
