package org.rcptguard.bench;

import java.util.Arrays;
import java.util.List;

/** The median and the range of repeated measurements. */
public final class Spread {
    private final double median;
    private final double min;
    private final double max;

    private Spread(double median, double min, double max) {
        this.median = median;
        this.min = min;
        this.max = max;
    }

    public static Spread of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN);
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1]);
    }

    public double median() {
        return median;
    }

    /** {@code median (min–max)} with the given format for each number. */
    public String format(String number) {
        if (Double.isNaN(median)) {
            return "–";
        }
        return String.format(number, median) + " (" + String.format(number, min) + "–" + String.format(number, max) + ")";
    }

    @Override
    public String toString() {
        return format("%.1f") + " " + Arrays.toString(new double[] {min, max});
    }
}
