package org.rcptguard.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResultTableTest {
    /** Trimmed from a JMH 1.37 result: a single measurement iteration leaves the error "NaN". */
    private static final String RESULT = "[\n"
        + "  {\"jmhVersion\" : \"1.37\", \"benchmark\" : \"org.rcptguard.bench.jmh.DecisionBenchmark.firstContact\",\n"
        + "   \"mode\" : \"thrpt\", \"threads\" : 1, \"params\" : {\"maxEntries\" : \"200000\"},\n"
        + "   \"primaryMetric\" : {\"score\" : 1234567.891, \"scoreError\" : 23456.7, \"scoreUnit\" : \"ops/s\",\n"
        + "      \"rawData\" : [[1.0E6, 1.2e6]]},\n"
        + "   \"secondaryMetrics\" : {\"gc.alloc.rate\" : {\"score\" : 512.5, \"scoreUnit\" : \"MB/sec\"},\n"
        + "      \"gc.alloc.rate.norm\" : {\"score\" : 431.99, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"B/op\"}}},\n"
        + "  {\"benchmark\" : \"org.rcptguard.bench.jmh.DecisionBenchmark.staticWhitelisted\", \"params\" : {},\n"
        + "   \"primaryMetric\" : {\"score\" : 9876543.2, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"ops/s\"},\n"
        + "   \"secondaryMetrics\" : {}, \"note\" : \"a \\\"quoted\\\" \\u00e9 string\", \"flag\" : true, \"none\" : null}\n"
        + "]\n";

    @Test
    void readsScoreErrorAndAllocationOfEachBenchmark() {
        List<ResultTable.Row> rows = ResultTable.rows(RESULT);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).benchmark).isEqualTo("firstContact [maxEntries=200000]");
        assertThat(rows.get(0).score).isEqualTo(1234567.891);
        assertThat(rows.get(0).error).isEqualTo(23456.7);
        assertThat(rows.get(0).bytesPerOp).isEqualTo(431.99);
        assertThat(rows.get(1).benchmark).isEqualTo("staticWhitelisted");
        assertThat(rows.get(1).error).isNaN();
        assertThat(rows.get(1).bytesPerOp).isNaN();
    }

    @Test
    void printsOneLinePerBenchmark() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultTable.print(RESULT, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
            "benchmark                         decisions/s  error     bytes/decision",
            "firstContact [maxEntries=200000]    1,234,568  ± 23,457             432",
            "staticWhitelisted                   9,876,543                         -");
    }
}
