package dev.tabrunner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code ./tabrunner bench}: every figure of the README's performance targets in one run, each beside its target and
 * the floor it is measured against ({@link RunTaskBenchmark}, then {@link ColdStartBenchmark}, then the live view's
 * frames, {@link LiveViewBenchmark}). Prints, asserts
 * nothing. {@code -Dbench.iterations} (default 30), {@code -Dbench.coldRuns} (default 3).
 */
public final class Benchmark {
    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report();
        report.note("Tabrunner benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report.note(machine());
        RunTaskBenchmark.measure(report, Integer.getInteger("bench.iterations", 30));
        ColdStartBenchmark.measure(report, Integer.getInteger("bench.coldRuns", 3),
                Integer.getInteger("bench.warmTasks", 10));
        LiveViewBenchmark.measure(report);
        report.note("");
        report.note("load average at the end: " + loadAverage());
        report.print();
        System.exit(0);
    }

    /** The machine the figures are from: they swing between machines and loads, the ratios much less. */
    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), Java "
                + Runtime.version() + ", load average at the start: " + loadAverage();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
