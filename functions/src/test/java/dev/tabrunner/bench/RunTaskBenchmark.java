package dev.tabrunner.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Prints latency figures for the README's targets (not a test: figures vary by machine, so nothing here asserts).
 * Run with {@code ./tabrunner bench}. Iterations: {@code -Dbench.iterations} (default 40).
 */
public final class RunTaskBenchmark {
    private static final String KEY = "bench-admin-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.iterations", 40);
        try (FixtureServer fixtures = FixtureServer.start();
             LocalServer server = LocalServer.start(Map.of(
                     "TABRUNNER_DATA_DIR", Files.createTempDirectory("tabrunner-bench").toString(),
                     "TABRUNNER_PORT", "-1", "TABRUNNER_ADMIN_KEY", KEY, "TABRUNNER_EGRESS_ALLOW", "127.0.0.1",
                     // the benchmark measures latency, not the per-tenant limits: one tenant makes every call
                     "TABRUNNER_TENANT_RPS", "1000000", "TABRUNNER_TENANT_MAX_SESSIONS", "1000000"))) {
            String base = server.baseUrl();
            String formUrl = fixtures.url("/form.html");

            List<Double> create = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                post(base + "/browser/sessions", "{}");
            }
            for (int i = 0; i < n * 5; i++) {
                long t = System.nanoTime();
                post(base + "/browser/sessions", "{}");
                create.add(ms(t));
            }

            String task = "{\"actions\":[{\"type\":\"navigate\",\"url\":\"" + formUrl + "\"},"
                    + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Ada\"},"
                    + "{\"type\":\"click\",\"selector\":\"#submit\"},{\"type\":\"screenshot\"}]}";
            String session = sessionId(post(base + "/browser/sessions", "{}"));
            List<Double> api = new ArrayList<>();
            for (int i = 0; i < n + 5; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = post(base + "/browser/sessions/" + session + "/tasks", task);
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("task failed: " + r.body());
                }
                if (i >= 5) {
                    api.add(ms(t));
                }
            }

            List<Double> raw = new ArrayList<>();
            // the same browser set-up as the worker's, egress proxy included: what differs is the API around it
            try (BrowserHost host = new BrowserHost(BrowserSettings.from(Map.of("TABRUNNER_EGRESS_ALLOW",
                    "127.0.0.1")))) {
                Browser browser = host.browser();
                for (int i = 0; i < n + 5; i++) {
                    long t = System.nanoTime();
                    try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                            .setViewportSize(1280, 960))) {
                        Page page = context.newPage();
                        page.navigate(formUrl);
                        page.locator("#name").first().fill("Ada");
                        page.locator("#submit").first().click();
                        page.screenshot();
                        context.storageState();
                    }
                    if (i >= 5) {
                        raw.add(ms(t));
                    }
                }
            }

            System.out.println();
            System.out.println("Tabrunner benchmark (" + n + " iterations, " + Runtime.getRuntime().availableProcessors()
                    + " cores)");
            report("session create (HTTP)", create, "target p50 <= 20 ms");
            report("Run Task navigate,type,click,screenshot (HTTP API)", api, null);
            report("same four steps, raw Playwright in-process", raw, null);
            double ratio = pct(api, 50) / pct(raw, 50);
            System.out.printf("API over raw Playwright, p50 ratio: %.2f (target <= 1.25)%n", ratio);
        }
    }

    private static void report(String name, List<Double> samples, String target) {
        System.out.printf("%-55s p50 %7.1f ms  p95 %7.1f ms%s%n", name, pct(samples, 50), pct(samples, 95),
                target == null ? "" : "  (" + target + ")");
    }

    private static double pct(List<Double> samples, int p) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1_000_000.0;
    }

    private static String sessionId(HttpResponse<String> r) {
        String body = r.body();
        int i = body.indexOf("\"id\":\"") + 6;
        return body.substring(i, body.indexOf('"', i));
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
