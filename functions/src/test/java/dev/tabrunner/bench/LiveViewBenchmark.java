package dev.tabrunner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.testing.FixtureServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The live view's figures: a frame's way from the worker to a viewer's event stream (latency), and the frames a
 * second a viewer gets from a page that changes on every paint (Chromium's screencast through the whole path).
 */
final class LiveViewBenchmark {
    private static final String KEY = "bench-live-view-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LiveViewBenchmark() {
    }

    static void measure(Report report) throws Exception {
        report.section("Live view (local server, one JVM)");
        try (FixtureServer fixtures = FixtureServer.start();
             LocalServer server = LocalServer.start(Map.of("TABRUNNER_DATA_DIR",
                     Files.createTempDirectory("tabrunner-bench-live").toString(), "TABRUNNER_PORT", "-1",
                     "TABRUNNER_ADMIN_KEY", KEY, "TABRUNNER_EGRESS_ALLOW", "127.0.0.1"))) {
            LiveViewProbe.Figures f = LiveViewProbe.transport(server.baseUrl(),
                    server.context().getBean(LiveView.class), 200, 25, 60_000);
            report.atMost("frame latency, worker to viewer's stream, p50", f.percentile(50), "ms", 100);
            report.atMost("frame latency, worker to viewer's stream, p95", f.percentile(95), "ms", 200);
            report.figure("frames/s delivered of 25/s published (60 KB frames)",
                    String.format("%.1f", f.framesPerSecond()));

            String session = post(server, "/browser/sessions", "{}").get("id").asText();
            CompletableFuture<JsonNode> task = CompletableFuture.supplyAsync(() -> post(server, "/browser/sessions/"
                    + session + "/tasks", "{\"url\":\"" + fixtures.url("/animated.html") + "\",\"actions\":[{\"type\":"
                    + "\"authenticate\",\"mode\":\"prompt_user\",\"pauseTimeoutMs\":20000,\"success\":{\"condition\":"
                    + "\"selector\",\"value\":\"#never\"}}]}"));
            String live = null;
            for (int i = 0; i < 100 && live == null; i++) {
                for (JsonNode t : get(server, "/browser/sessions/" + session + "/tasks").get("tasks")) {
                    if (t.hasNonNull("liveViewUrl")) {
                        live = t.get("liveViewUrl").asText();
                    }
                }
                Thread.sleep(100);
            }
            if (live == null) {
                report.note("the screencast's task opened no live view");
                return;
            }
            report.figure("screencast frames/s to a viewer (animated page, 1280x720)",
                    String.format("%.1f", LiveViewProbe.framesPerSecond(server.baseUrl() + live, 5)));
            post(server, live.replace("?", "/input?"), "{\"type\":\"done\"}");
            task.join();
        }
    }

    private static JsonNode post(LocalServer server, String path, String body) {
        return call(server, HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode get(LocalServer server, String path) {
        return call(server, HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET());
    }

    private static JsonNode call(LocalServer server, HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.header("Authorization", "Bearer " + KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
