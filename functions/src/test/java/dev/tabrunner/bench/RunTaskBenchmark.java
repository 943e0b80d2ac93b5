package dev.tabrunner.bench;

import com.microsoft.playwright.BrowserContext;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.testing.FixtureServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steady-state figures of the README's targets, against the floor, in one run: the local server in a JVM of
 * its own (4 worker threads), the floor and the concurrent raw runs in this one. The four single-task variants run
 * interleaved, one of each per round, so that the machine's load (which swings) weighs on them alike and their
 * ratios hold. Then 4 sessions at once against 4 raw contexts at once, and the server's memory. Not a test: it
 * prints, asserts nothing. {@code -Dbench.iterations} (default 30) rounds after 5 warm-up rounds.
 */
public final class RunTaskBenchmark {
    private static final int WARMUP = 5;
    private static final int CONCURRENT_SESSIONS = 4;
    private static final int TASKS_PER_SESSION = 6;

    private RunTaskBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report();
        measure(report, Integer.getInteger("bench.iterations", 30));
        report.print();
        System.exit(0);
    }

    static void measure(Report report, int n) throws Exception {
        Map<String, String> env = Map.of("TABRUNNER_EGRESS_ALLOW", "127.0.0.1");
        BrowserSettings settings = BrowserSettings.from(env);
        try (FixtureServer fixtures = FixtureServer.start();
             BenchServer server = BenchServer.start(Map.of("TABRUNNER_EGRESS_ALLOW", "127.0.0.1",
                     "TABRUNNER_WORKER_CONCURRENCY", Integer.toString(CONCURRENT_SESSIONS),
                     // latency, not the per-tenant limits: one tenant makes every call
                     "TABRUNNER_TENANT_RPS", "1000000", "TABRUNNER_TENANT_MAX_SESSIONS", "1000000",
                     "TABRUNNER_TENANT_MAX_TASKS", "1000000"));
             RawPlaywright floor = RawPlaywright.direct(settings);
             RawPlaywright proxied = RawPlaywright.throughProxy(settings)) {
            String formUrl = fixtures.url("/form.html");
            String task = "{\"actions\":[{\"type\":\"navigate\",\"url\":\"" + formUrl + "\"},"
                    + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Ada\"},"
                    + "{\"type\":\"click\",\"selector\":\"#submit\"},{\"type\":\"screenshot\"}]}";

            List<Double> create = new ArrayList<>();
            for (int i = 0; i < 20 + n * 5; i++) {
                long t = System.nanoTime();
                String s = server.newSession();
                if (i >= 20) {
                    create.add(Report.ms(t));
                }
                server.terminate(s);
            }

            List<Double> raw = new ArrayList<>();
            List<Double> rawProxy = new ArrayList<>();
            List<Double> fresh = new ArrayList<>();
            List<Double> same = new ArrayList<>();
            String kept = server.newSession();
            for (int i = 0; i < WARMUP + n; i++) {
                double r = floor.freshContextTask(formUrl);
                double p = proxied.freshContextTask(formUrl);
                String s = server.newSession();
                double f = server.runTask(s, task);
                server.terminate(s);
                double k = server.runTask(kept, task);
                if (i >= WARMUP) {
                    raw.add(r);
                    rawProxy.add(p);
                    fresh.add(f);
                    same.add(k);
                }
            }
            server.terminate(kept);
            double floorP50 = Report.median(raw);

            report.section("Single tasks, p50 of " + n + " interleaved rounds (task: new page, navigate a form, type,"
                    + " click, PNG screenshot 1280x960)");
            report.figure("floor: raw Playwright in-process, no proxy, fresh context", String.format("%.1f ms",
                    floorP50));
            report.ratioAtMost("floor through the egress proxy", Report.median(rawProxy), "ms", floorP50, "floor",
                    1.05);
            report.ratioAtMost("task in a new session, over HTTP", Report.median(fresh), "ms", floorP50, "floor",
                    1.10);
            report.ratioAtMost("second and later task in one session, over HTTP (warm)", Report.median(same), "ms",
                    floorP50, "floor", 0.60);
            report.figure("  p95: floor / proxy / new session / same session", String.format(
                    "%.0f / %.0f / %.0f / %.0f ms", Report.percentile(raw, 95), Report.percentile(rawProxy, 95),
                    Report.percentile(fresh, 95), Report.percentile(same, 95)));
            report.section("Session create over HTTP (" + create.size() + " creates)");
            report.atMost("session create p50", Report.median(create), "ms", 10);
            report.atMost("session create p95", Report.percentile(create, 95), "ms", 25);

            concurrent(report, server, settings, formUrl, task);
        }
    }

    /**
     * 4 sessions with 6 tasks each, all 4 at once, against raw Playwright doing the same tasks in 4 contexts at once
     * (one thread, driver and browser per context, as the worker has one per thread). Then the server's memory with
     * the 4 sessions warm, and without them.
     */
    private static void concurrent(Report report, BenchServer server, BrowserSettings settings, String formUrl,
                                   String task) throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_SESSIONS; i++) {
            // one at a time first: each session gets a worker thread (and its browser) of its own
            String s = server.newSession();
            server.runTask(s, task);
            sessions.add(s);
        }
        BenchServer.Memory before = server.memory();
        AtomicReference<BenchServer.Memory> peak = new AtomicReference<>(before);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_SESSIONS + 1);
        Future<?> sampler = pool.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                BenchServer.Memory m = server.memory();
                peak.accumulateAndGet(m, (a, b) -> a.rssMb() >= b.rssMb() ? a : b);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        double tabrunner = timed(pool, CONCURRENT_SESSIONS, i -> {
            for (int t = 0; t < TASKS_PER_SESSION; t++) {
                server.runTask(sessions.get(i), task);
            }
        });
        sampler.cancel(true);
        BenchServer.Memory warm = server.memory();
        for (String s : sessions) {
            server.terminate(s);
        }
        Thread.sleep(2_000);
        BenchServer.Memory cold = server.memory();

        double raw = rawConcurrent(pool, settings, formUrl);
        pool.shutdownNow();

        int tasks = CONCURRENT_SESSIONS * TASKS_PER_SESSION;
        double rawRate = tasks / (raw / 1000);
        report.section(CONCURRENT_SESSIONS + " sessions at once, " + tasks + " tasks");
        report.figure("raw Playwright, " + CONCURRENT_SESSIONS + " contexts at once", String.format("%.2f tasks/s",
                rawRate));
        report.ratioAtLeast("Tabrunner over HTTP, " + CONCURRENT_SESSIONS + " sessions at once", tasks
                / (tabrunner / 1000), "/s", rawRate, "raw", 0.90);
        report.section("Memory of the local server + its Chromium (" + CONCURRENT_SESSIONS + " worker threads)");
        report.figure("peak RSS while " + CONCURRENT_SESSIONS + " sessions run", String.format("%.0f MB",
                peak.get().rssMb()));
        report.figure("with " + CONCURRENT_SESSIONS + " warm sessions: RSS / PSS", String.format("%.0f / %.0f MB",
                warm.rssMb(), warm.pssMb()));
        report.figure("with none (terminated): RSS / PSS", String.format("%.0f / %.0f MB", cold.rssMb(),
                cold.pssMb()));
        report.atMost("one warm session (PSS difference / " + CONCURRENT_SESSIONS + ")",
                (warm.pssMb() - cold.pssMb()) / CONCURRENT_SESSIONS, "MB", 60);
    }

    private static double rawConcurrent(ExecutorService pool, BrowserSettings settings, String formUrl)
            throws Exception {
        CyclicBarrier ready = new CyclicBarrier(CONCURRENT_SESSIONS + 1);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_SESSIONS; i++) {
            runs.add(pool.submit(() -> {
                try (RawPlaywright raw = RawPlaywright.direct(settings);
                     BrowserContext context = raw.newContext()) {
                    RawPlaywright.task(context, formUrl);
                    ready.await();
                    ready.await();
                    for (int t = 0; t < TASKS_PER_SESSION; t++) {
                        RawPlaywright.task(context, formUrl);
                    }
                }
                return null;
            }));
        }
        ready.await();
        long start = System.nanoTime();
        ready.await();
        for (Future<?> f : runs) {
            f.get();
        }
        return Report.ms(start);
    }

    /** Runs {@code threads} copies of the work at once; the wall-clock milliseconds until all are done. */
    private static double timed(ExecutorService pool, int threads, Work work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> runs = new ArrayList<>();
        long t = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            int index = i;
            runs.add(pool.submit(() -> {
                start.await();
                work.run(index);
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        return Report.ms(t);
    }

    private interface Work {
        void run(int index) throws Exception;
    }
}
