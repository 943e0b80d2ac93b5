package dev.tabrunner.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The benchmark's figures, each with its target and how it compares, printed as one table at the end of a run.
 * Nothing is asserted: figures vary by machine and load, the ratios measured in one run much less.
 */
final class Report {
    private final List<String> lines = new ArrayList<>();

    void section(String title) {
        lines.add("");
        lines.add(title);
    }

    /** A figure without a target of its own (a reference, or a stage). */
    void figure(String name, String value) {
        lines.add(String.format("  %-58s %14s", name, value));
    }

    /** A figure with an absolute upper bound. */
    void atMost(String name, double value, String unit, double bound) {
        lines.add(String.format("  %-58s %11.1f %-2s  target <= %.0f %s  %s", name, value, unit, bound, unit,
                value <= bound ? "met" : "MISSED"));
    }

    /** A figure as a multiple of a reference, with an upper bound on the multiple. */
    void ratioAtMost(String name, double value, String unit, double reference, String referenceName,
                     double bound) {
        double ratio = value / reference;
        lines.add(String.format("  %-58s %11.1f %-2s  %.2fx %s (target <= %.2fx)  %s", name, value, unit, ratio,
                referenceName, bound, ratio <= bound ? "met" : "MISSED"));
    }

    /** A figure as a multiple of a reference, with a lower bound on the multiple. */
    void ratioAtLeast(String name, double value, String unit, double reference, String referenceName,
                      double bound) {
        double ratio = value / reference;
        lines.add(String.format("  %-58s %11.2f %-2s  %.2fx %s (target >= %.2fx)  %s", name, value, unit, ratio,
                referenceName, bound, ratio >= bound ? "met" : "MISSED"));
    }

    void note(String text) {
        lines.add("  " + text);
    }

    void print() {
        lines.forEach(System.out::println);
        System.out.println();
    }

    static double percentile(List<Double> samples, int p) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }

    static double median(List<Double> samples) {
        return percentile(samples, 50);
    }

    static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }
}
