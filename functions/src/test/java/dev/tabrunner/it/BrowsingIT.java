package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.RequestDeadline;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.Async;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.MovableClock;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import dev.tabrunner.testing.UpstreamProxyFixture;
import io.micronaut.http.server.HttpServerConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browsing API (seed 003) through HTTP, end to end: the local server with DynamoDB Local and real Chromium,
 * three nodes (one direct in DE, two through the operator's US proxy), fixture sites on loopback, a scripted model,
 * and a clock the tests move forward to see screenshots expire.
 */
class BrowsingIT {
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    private static final String PROXY_AUTH = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("op:proxy-pw".getBytes(StandardCharsets.UTF_8));
    private static final MovableClock clock = new MovableClock();
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static UpstreamProxyFixture usProxy;
    private static Path data;
    private static LocalServer server;
    private static Api admin;

    @BeforeAll
    static void start() throws IOException {
        usProxy = UpstreamProxyFixture.start(PROXY_AUTH);
        data = TestSystem.tempDir();
        Path templates = Files.createDirectories(data.resolve("templates"));
        Files.writeString(templates.resolve("shop.json"), """
                {"description": "a careful shopper",
                 "instructions": "You shop carefully.\\n\\n{task}\\n\\nAnswer in one line.",
                 "max_steps": 2,
                 "screenshots": {"mode": "final_only", "full_page": false}}""");
        Files.writeString(templates.resolve("broken.json"), "{\"instructions\": \"no placeholder\"}");
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_LLM_BASE_URL", model.baseUrl());
        env.put("TABRUNNER_LLM_API_KEY", "sk-scripted");
        env.put("TABRUNNER_LLM_MAX_ATTEMPTS", "1");
        env.put("TABRUNNER_PROXY_US", "http://op:proxy-pw@127.0.0.1:" + usProxy.port());
        env.put("TABRUNNER_BROWSING_NODES", "de-1:de:direct, us-1:US:proxy, us-2:US:proxy");
        env.put("TABRUNNER_BROWSING_TEMPLATES_DIR", templates.toString());
        env.put("TABRUNNER_BROWSING_SWEEP_INTERVAL_MS", "300");
        // a fanout of 3 races on three browsers at once
        env.put("TABRUNNER_WORKER_CONCURRENCY", "3");
        server = TestSystem.startServer(data, env, clock);
        admin = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        usProxy.close();
        model.close();
        site.close();
    }

    @BeforeEach
    void freshScript() {
        model.reset();
    }

    @AfterEach
    void scriptHeld() {
        assertThat(model.scriptFailures()).isEmpty();
        assertThat(model.unexpectedCalls()).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A tenant and its first key. */
    private record Tenant(String id, Api api) {
        Api anotherKey() {
            var r = admin.post("/admin/api-keys", "{\"tenantId\":\"" + id + "\",\"role\":\"user\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return new Api(server.baseUrl(), r.json().get("key").asText());
        }
    }

    private static Tenant newTenant() {
        String tenant = "br" + Long.toHexString(System.nanoTime());
        var r = admin.post("/admin/api-keys", "{\"tenantId\":\"" + tenant + "\",\"role\":\"user\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Tenant(tenant, new Api(server.baseUrl(), r.json().get("key").asText()));
    }

    private static String async(Api api, String body) {
        var r = api.post("/api/v1/browsing/async", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("task_id");
        return r.json().get("task_id").asText();
    }

    private static JsonNode status(Api api, String taskId) {
        var r = api.get("/api/v1/browsing/status?task_id=" + taskId);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** Polls the status until it is one of {@code wanted}; returns every status seen, in order, and the last doc. */
    private static JsonNode awaitStatus(Api api, String taskId, List<String> seen, String... wanted)
            throws InterruptedException {
        JsonNode doc = null;
        for (int i = 0; i < 1200; i++) {
            doc = status(api, taskId);
            String s = doc.get("status").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                seen.add(s);
            }
            if (List.of(wanted).contains(s)) {
                return doc;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + taskId + " stayed " + doc);
    }

    private static JsonNode awaitEnd(Api api, String taskId) throws InterruptedException {
        return awaitStatus(api, taskId, new ArrayList<>(), "completed", "failed");
    }

    private static void errorShape(Api.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.fieldNames()).toIterable().containsExactly("error");
        assertThat(body.get("error").fieldNames()).toIterable().containsExactly("code", "message");
        assertThat(body.at("/error/message").asText()).isNotBlank();
        if (code != null) {
            assertThat(body.at("/error/code").asText()).isEqualTo(code);
        }
    }

    private static Reply navigate(String path) {
        return Reply.tool("navigate", "{\"url\":\"" + site.url(path) + "\"}");
    }

    private static Reply done(String message) {
        return Reply.tool("done", "{\"message\":\"" + message + "\"}");
    }

    /** A flow over two pages: steps at about:blank, products, products (scrolled), home; then done. */
    private static void scriptFourSteps() {
        model.then(navigate("/products.html"))
                .then(Reply.tool("scroll", "{\"direction\":\"down\"}"))
                .then(navigate("/index.html"))
                .then(done("browsed"));
    }

    private static Path blob(Tenant t, String taskId, String file) {
        return data.resolve("blobs").resolve("browsing").resolve(t.id()).resolve(taskId).resolve(file);
    }

    /** Chromium renderers of this JVM's browsers: one per open page, none once every task's context closed. */
    private static long renderers() {
        return ProcessHandle.current().descendants().filter(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
                String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                return !zombie && cmd.contains("--type=renderer");
            } catch (IOException e) {
                return false;
            }
        }).count();
    }

    /** The renderers open once no task is starting or ending any: two reads half a second apart agree. */
    private static long settledRenderers() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 40; i++) {
            long now = renderers();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError("the number of open pages did not settle within 20 s");
    }

    private static void eventually(String what, java.util.function.BooleanSupplier condition, Duration within)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    // ---- async, status, sync ----------------------------------------------------------------------------------

    @Test
    void async_answersTheTaskIdAtOnce_andTheStatusGoesThroughRunningToCompleted() throws Exception {
        Tenant t = newTenant();
        model.then(navigate("/products.html").delayed(1500))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Wireless keyboard");
                    return done("The wireless keyboard costs $49.99").delayed(1000);
                });

        String id = async(t.api(), "{\"task\":\"What does the wireless keyboard cost?\"}");
        List<String> seen = new ArrayList<>();
        JsonNode running = awaitStatus(t.api(), id, seen, "running");
        // while it runs, the link of its live view (a page without a key: its token is the authorisation)
        assertThat(running.fieldNames()).toIterable().containsExactly("task_id", "status", "live_url");
        String live = running.get("live_url").asText();
        assertThat(live).startsWith(server.baseUrl() + "/live/" + id + "?token=");
        assertThat(new Api(server.baseUrl(), null).get(live.substring(server.baseUrl().length())).status())
                .isEqualTo(200);
        JsonNode doc = awaitStatus(t.api(), id, seen, "completed", "failed");

        assertThat(seen).last().isEqualTo("completed");
        assertThat(seen).contains("running");
        assertThat(List.of("queued", "assigned", "running", "completed")).containsSubsequence(seen);
        assertThat(doc.fieldNames()).toIterable().containsExactly("task_id", "status", "success", "payload", "info",
                "error", "execution_time_ms", "screenshots");
        assertThat(doc.get("task_id").asText()).isEqualTo(id);
        assertThat(doc.get("success").asBoolean()).isTrue();
        assertThat(doc.get("payload").asText()).isEqualTo("The wireless keyboard costs $49.99");
        assertThat(doc.get("error").isNull()).isTrue();
        assertThat(doc.get("execution_time_ms").asLong()).isGreaterThan(2000);
        assertThat(doc.get("screenshots")).isEmpty();
        JsonNode info = doc.get("info");
        assertThat(info.get("steps").asInt()).isEqualTo(2);
        assertThat(info.get("final_url").asText()).endsWith("/products.html");
        assertThat(info.at("/node/uid").asText()).isIn("de-1", "us-1", "us-2");
        assertThat(info.get("fanout").isNull()).isTrue();
        assertThat(info.at("/usage/input_tokens").asLong()).isPositive();
        assertThat(info.at("/usage/total_tokens").asLong()).isEqualTo(info.at("/usage/input_tokens").asLong()
                + info.at("/usage/output_tokens").asLong());
        assertThat(info.get("template").asText()).isEqualTo("default");
        // the default template gives the agent the task as written
        assertThat(model.everythingSent()).contains("What does the wireless keyboard cost?");
    }

    @Test
    void sync_waitsForTheEnd_andAnswersTheStatusDocument() {
        Tenant t = newTenant();
        model.then(done("nothing to do").delayed(500));

        var r = t.api().post("/api/v1/browsing/sync", "{\"task\":\"Say hello\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("completed");
        assertThat(r.json().get("payload").asText()).isEqualTo("nothing to do");
        assertThat(status(t.api(), r.json().get("task_id").asText())).isEqualTo(r.json());
    }

    @Test
    void sync_pastItsDeadline_is504WithTheTaskId_andTheTaskGoesOn() throws Exception {
        Tenant t = newTenant();
        model.then(done("slow but done").delayed(4000));
        // what the Lambda handler sets: the function must answer 4 s from now, so the wait ends after about 1 s
        HttpRequest request = t.api().request("/api/v1/browsing/sync").header("Content-Type", "application/json")
                .header(RequestDeadline.HEADER, Long.toString(clock.millis() + 4000))
                .POST(HttpRequest.BodyPublishers.ofString("{\"task\":\"Take your time\"}")).build();

        long began = System.nanoTime();
        var r = t.api().send(request);

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));
        assertThat(r.status()).as(r.body()).isEqualTo(504);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("error", "task_id");
        assertThat(r.json().at("/error/code").asText()).isEqualTo("sync_timeout");
        String id = r.json().get("task_id").asText();
        JsonNode doc = awaitEnd(t.api(), id);
        assertThat(doc.get("status").asText()).isEqualTo("completed");
        assertThat(doc.get("payload").asText()).isEqualTo("slow but done");
    }

    @Test
    void localServer_keepsAConnectionOpenForTheTenMinutesOfASyncWait() {
        HttpServerConfiguration config = server.context().getBean(HttpServerConfiguration.class);
        assertThat(config.getIdleTimeout()).isGreaterThan(Duration.ofMinutes(10));
        assertThat(config.getReadIdleTimeout()).isGreaterThan(Duration.ofMinutes(10));
        assertThat(config.getWriteIdleTimeout()).isGreaterThan(Duration.ofMinutes(10));
    }

    @Test
    void timeout_isTheAgentsTimeLimit() throws Exception {
        Tenant t = newTenant();
        // the first step outlasts the 3 s the task has: the agent takes no second one
        model.then(navigate("/slow?ms=4000"));

        JsonNode doc = awaitEnd(t.api(), async(t.api(), "{\"task\":\"Take your time\",\"timeout\":3000}"));

        assertThat(doc.get("status").asText()).isEqualTo("failed");
        assertThat(doc.get("success").asBoolean()).isFalse();
        assertThat(doc.get("payload").isNull()).isTrue();
        assertThat(doc.at("/error/code").asText()).isEqualTo("timeout");
        assertThat(doc.at("/error/message").asText()).contains("3000 ms");
        assertThat(doc.at("/info/steps").asInt()).isEqualTo(1);
    }

    // ---- screenshots ------------------------------------------------------------------------------------------

    private static JsonNode runWithScreenshots(Tenant t, String screenshots) throws InterruptedException {
        scriptFourSteps();
        String id = async(t.api(), "{\"task\":\"Browse the shop\",\"screenshots\":" + screenshots + "}");
        JsonNode doc = awaitEnd(t.api(), id);
        assertThat(doc.get("status").asText()).as(doc.toString()).isEqualTo("completed");
        assertThat(doc.at("/info/steps").asInt()).isEqualTo(4);
        return doc;
    }

    private static List<String> files(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : doc.get("screenshots")) {
            assertThat(s.fieldNames()).toIterable().containsExactly("file", "step", "url", "taken_at");
            out.add(s.get("file").asText());
        }
        return out;
    }

    @Test
    void screenshots_everyMode_returnsItsFiles_storedUnderTheBrowsingPrefix() throws Exception {
        Tenant t = newTenant();

        JsonNode every = runWithScreenshots(t, "{\"mode\":\"every_step\"}");
        JsonNode onNavigation = runWithScreenshots(t, "{\"mode\":\"on_navigation\"}");
        JsonNode finalOnly = runWithScreenshots(t, "{\"mode\":\"final_only\"}");

        assertThat(files(every)).containsExactly("step-1.jpg", "step-2.jpg", "step-3.jpg", "step-4.jpg");
        assertThat(every.get("screenshots")).extracting(s -> s.get("step").asInt()).containsExactly(1, 2, 3, 4);
        // step 3 is on the page step 2 was on (it scrolled): no navigation
        assertThat(files(onNavigation)).containsExactly("step-1.jpg", "step-2.jpg", "step-4.jpg");
        assertThat(onNavigation.at("/screenshots/1/url").asText()).endsWith("/products.html");
        assertThat(onNavigation.at("/screenshots/2/url").asText()).endsWith("/index.html");
        assertThat(files(finalOnly)).containsExactly("final.png");
        assertThat(finalOnly.at("/screenshots/0/url").asText()).endsWith("/index.html");
        assertThat(finalOnly.at("/screenshots/0/step").asInt()).isEqualTo(4);
        assertThat(finalOnly.at("/screenshots/0/taken_at").asText()).isNotBlank();

        for (JsonNode doc : List.of(every, onNavigation, finalOnly)) {
            String id = doc.get("task_id").asText();
            for (String file : files(doc)) {
                var r = t.api().get("/api/v1/browsing/screenshots/" + id + "/" + file);
                assertThat(r.status()).as(file + ": " + r.body()).isEqualTo(200);
                boolean png = file.endsWith(".png");
                assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo(png ? "image/png"
                        : "image/jpeg");
                assertThat(r.bytes()).startsWith(png ? PNG : JPEG);
                assertThat(blob(t, id, file)).exists();
            }
        }
        // every step's screenshot is kept (the agent takes them anyway); the mode chooses what the task returns
        String onNavId = onNavigation.get("task_id").asText();
        assertThat(blob(t, onNavId, "step-3.jpg")).exists();
        assertThat(t.api().get("/api/v1/browsing/screenshots/" + onNavId + "/step-3.jpg").status()).isEqualTo(404);
    }

    @Test
    void screenshots_fullPageByDefault_viewportWhenAsked() throws Exception {
        Tenant t = newTenant();
        model.then(navigate("/long.html")).then(done("read"));
        String full = async(t.api(), "{\"task\":\"Read the long page\",\"screenshots\":{\"mode\":\"final_only\"}}");
        awaitEnd(t.api(), full);
        model.then(navigate("/long.html")).then(done("read"));
        String viewport = async(t.api(), "{\"task\":\"Read the long page\","
                + "\"screenshots\":{\"mode\":\"final_only\",\"full_page\":false}}");
        awaitEnd(t.api(), viewport);

        int fullHeight = pngHeight(t.api().get("/api/v1/browsing/screenshots/" + full + "/final.png").bytes());
        int viewportHeight = pngHeight(t.api().get("/api/v1/browsing/screenshots/" + viewport + "/final.png")
                .bytes());

        assertThat(fullHeight).isGreaterThan(viewportHeight);
    }

    private static int pngHeight(byte[] png) {
        // the IHDR chunk: width at 16, height at 20, big-endian
        return ((png[20] & 0xFF) << 24) | ((png[21] & 0xFF) << 16) | ((png[22] & 0xFF) << 8) | (png[23] & 0xFF);
    }

    @Test
    void screenshotDownload_needsTheTasksOwnKey_andServesOnlyTheTasksOwnNames() throws Exception {
        Tenant t = newTenant();
        model.then(done("here"));
        String id = async(t.api(), "{\"task\":\"Stay\",\"screenshots\":{\"mode\":\"final_only\"}}");
        awaitEnd(t.api(), id);
        model.then(done("there"));
        String other = async(t.api(), "{\"task\":\"Stay too\",\"screenshots\":{\"mode\":\"every_step\"}}");
        awaitEnd(t.api(), other);
        String path = "/api/v1/browsing/screenshots/" + id + "/final.png";
        assertThat(t.api().get(path).status()).isEqualTo(200);

        errorShape(new Api(server.baseUrl(), null).get(path), 401, "unauthorized");
        errorShape(new Api(server.baseUrl(), "trk_nope").get(path), 401, "unauthorized");
        errorShape(t.anotherKey().get(path), 403, "forbidden");
        errorShape(newTenant().api().get(path), 404, null);
        for (String file : List.of("step-1.jpg", "final.jpg", "FINAL.PNG", "..%2Ffinal.png",
                "..%2F..%2F..%2Fbrowsing%2F" + t.id() + "%2F" + other + "%2Fstep-1.jpg", "final.png%00",
                "%2E%2E", "final.png.json")) {
            var r = t.api().get("/api/v1/browsing/screenshots/" + id + "/" + file);
            assertThat(r.status()).as(file).isEqualTo(404);
        }
        // another task's file by another task's id is that task's, and the first task's id does not reach it
        assertThat(t.api().get("/api/v1/browsing/screenshots/" + other + "/step-1.jpg").status()).isEqualTo(200);
        assertThat(t.api().get("/api/v1/browsing/screenshots/" + other + "/final.png").status()).isEqualTo(404);
    }

    @Test
    void screenshots_expireFiveDaysAfterTheTaskEnded() throws Exception {
        Tenant t = newTenant();
        model.then(done("keep this"));
        String id = async(t.api(), "{\"task\":\"Keep a picture\",\"screenshots\":{\"mode\":\"final_only\"}}");
        awaitEnd(t.api(), id);
        String path = "/api/v1/browsing/screenshots/" + id + "/final.png";
        Path file = blob(t, id, "final.png");
        assertThat(file).exists();

        clock.advance(Duration.ofDays(5).minusMinutes(1));
        Thread.sleep(1000);
        assertThat(t.api().get(path).status()).isEqualTo(200);
        assertThat(file).as("kept until five days have passed").exists();

        clock.advance(Duration.ofMinutes(2));
        errorShape(t.api().get(path), 404, "screenshot_expired");
        eventually("the sweeper deletes the file", () -> !Files.exists(file), Duration.ofSeconds(10));
        assertThat(status(t.api(), id).get("status").asText()).isEqualTo("completed");
    }

    // ---- session_key ------------------------------------------------------------------------------------------

    @Test
    void sessionKey_tasksRunOneAfterAnother_onOneNode_andTheSecondReadsTheFirstsCookie() throws Exception {
        Tenant t = newTenant();
        model.then(navigate("/remember-me.html"))
                .then(done("remembered").delayed(2000))
                .then(navigate("/echo"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("remembered=ada-lovelace");
                    return done("the cookie says remembered=ada-lovelace");
                });
        String first = async(t.api(), "{\"task\":\"Get remembered\",\"session_key\":\"shop-42\"}");
        awaitStatus(t.api(), first, new ArrayList<>(), "running");

        String second = async(t.api(), "{\"task\":\"Read your cookies\",\"session_key\":\"shop-42\"}");
        assertThat(status(t.api(), second).get("status").asText()).as("waits for the first")
                .isEqualTo("queued");
        List<String> seen = new ArrayList<>();
        JsonNode secondDoc = awaitStatus(t.api(), second, seen, "completed", "failed");
        JsonNode firstDoc = status(t.api(), first);

        assertThat(seen).first().isEqualTo("queued");
        assertThat(firstDoc.get("status").asText()).isEqualTo("completed");
        assertThat(secondDoc.get("status").asText()).as(secondDoc.toString()).isEqualTo("completed");
        assertThat(secondDoc.get("payload").asText()).contains("ada-lovelace");
        assertThat(secondDoc.at("/info/node")).isEqualTo(firstDoc.at("/info/node"));
        assertThat(secondDoc.at("/info/session_key").asText()).isEqualTo("shop-42");

        // the key is the tenant's: another tenant's task with the same key starts without the cookie
        Tenant stranger = newTenant();
        model.then(navigate("/echo")).then(r -> {
            assertThat(ScriptedModelServer.lastUserText(r)).doesNotContain("ada-lovelace");
            return done("no cookie");
        });
        JsonNode strangers = awaitEnd(stranger.api(), async(stranger.api(),
                "{\"task\":\"Read your cookies\",\"session_key\":\"shop-42\"}"));
        assertThat(strangers.get("payload").asText()).isEqualTo("no cookie");
    }

    // ---- nodes and filters ------------------------------------------------------------------------------------

    @Test
    void nodes_areListedWithTheirCountry_andFree() {
        var r = newTenant().api().get("/api/v1/browsing/nodes");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("nodes")).hasSize(3);
        assertThat(r.json().get("nodes").get(0).toString())
                .isEqualTo("{\"uid\":\"de-1\",\"country_iso\":\"DE\",\"status\":\"free\"}");
        assertThat(r.json().get("nodes")).extracting(n -> n.get("uid").asText())
                .containsExactly("de-1", "us-1", "us-2");
    }

    @Test
    void filter_byCountry_runsThereThroughItsEgress_andByNodeUid_onThatNode() throws Exception {
        Tenant t = newTenant();
        usProxy.clear();
        model.then(navigate("/products.html")).then(done("from the US"));
        JsonNode us = awaitEnd(t.api(), async(t.api(), "{\"task\":\"Shop in the US\","
                + "\"filter\":{\"country_iso\":\"us\"}}"));

        assertThat(us.at("/info/node/uid").asText()).isIn("us-1", "us-2");
        assertThat(us.at("/info/node/country_iso").asText()).isEqualTo("US");
        assertThat(usProxy.seen()).extracting(UpstreamProxyFixture.Seen::requestLine)
                .anyMatch(line -> line.contains("/products.html"));

        usProxy.clear();
        model.then(navigate("/products.html")).then(done("from Germany"));
        JsonNode de = awaitEnd(t.api(), async(t.api(), "{\"task\":\"Shop in Germany\","
                + "\"filter\":{\"node_uid\":\"de-1\"}}"));

        assertThat(de.at("/info/node").toString()).isEqualTo("{\"uid\":\"de-1\",\"country_iso\":\"DE\"}");
        assertThat(usProxy.seen()).as("a direct node's traffic skips the proxy").isEmpty();
    }

    @Test
    void filter_bothSelectors_orNoEligibleNode_is400NamingTheFilter() {
        Api api = newTenant().api();

        var both = api.post("/api/v1/browsing/async", "{\"task\":\"x\","
                + "\"filter\":{\"country_iso\":\"DE\",\"node_uid\":\"de-1\"}}");
        var country = api.post("/api/v1/browsing/async", "{\"task\":\"x\",\"filter\":{\"country_iso\":\"br\"}}");
        var node = api.post("/api/v1/browsing/async", "{\"task\":\"x\",\"filter\":{\"node_uid\":\"mars-1\"}}");
        var notACountry = api.post("/api/v1/browsing/async", "{\"task\":\"x\",\"filter\":{\"country_iso\":\"XX\"}}");

        errorShape(both, 400, "invalid_request");
        assertThat(both.json().at("/error/message").asText()).contains("mutually exclusive");
        errorShape(country, 400, "invalid_request");
        assertThat(country.json().at("/error/message").asText()).contains("filter.country_iso=BR");
        errorShape(node, 400, "invalid_request");
        assertThat(node.json().at("/error/message").asText()).contains("filter.node_uid=mars-1");
        errorShape(notACountry, 400, "invalid_request");
        assertThat(notACountry.json().at("/error/message").asText()).contains("filter.country_iso");
    }

    // ---- fanout -----------------------------------------------------------------------------------------------

    @Test
    void fanout3_theFirstCopyToFinishWins_theOthersAreCancelledAtOnce_andNoBrowserIsLeftOpen() throws Exception {
        Tenant t = newTenant();
        // earlier tests' sessions with a session_key keep their pages warm (ADR 0014): those stay, the race's go
        long before = settledRenderers();
        AtomicInteger calls = new AtomicInteger();
        // the first copy to ask is answered at once; the others' model would think for half a minute
        model.otherwise(r -> calls.getAndIncrement() == 0 ? done("first!")
                : navigate("/products.html").delayed(30_000));

        long began = System.nanoTime();
        var r = t.api().post("/api/v1/browsing/sync", "{\"task\":\"Race me\",\"fanout\":3}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("status").asText()).isEqualTo("completed");
        assertThat(doc.get("payload").asText()).isEqualTo("first!");
        JsonNode fanout = doc.at("/info/fanout");
        assertThat(fanout.get("copies")).hasSize(3);
        assertThat(fanout.get("copies")).extracting(c -> c.at("/node/uid").asText())
                .containsExactlyInAnyOrder("de-1", "us-1", "us-2");
        String winner = fanout.get("winner").asText();
        assertThat(fanout.get("copies")).filteredOn(c -> c.get("task_id").asText().equals(winner))
                .singleElement().satisfies(c -> assertThat(c.get("outcome").asText()).isEqualTo("completed"));
        for (JsonNode c : fanout.get("copies")) {
            if (c.get("task_id").asText().equals(winner)) {
                assertThat(doc.at("/info/node")).as("the winner's node is the task's").isEqualTo(c.get("node"));
            }
        }
        String id = doc.get("task_id").asText();

        eventually("the losing copies are cancelled", () -> {
            JsonNode copies = status(t.api(), id).at("/info/fanout/copies");
            int cancelled = 0;
            for (JsonNode c : copies) {
                cancelled += c.get("outcome").asText().equals("cancelled") ? 1 : 0;
            }
            return cancelled == 2;
        }, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("long before the losers' model answered")
                .isLessThan(Duration.ofSeconds(25));
        eventually("every copy's browser is closed", () -> renderers() <= before, Duration.ofSeconds(10));
        Api anyone = newTenant().api();
        eventually("every node is free again", () -> anyone.get("/api/v1/browsing/nodes").json().findValues("status")
                .stream().allMatch(s -> s.asText().equals("free")), Duration.ofSeconds(10));
        // the usage of every copy is the task's
        assertThat(doc.at("/info/usage/input_tokens").asLong()).isPositive();
    }

    @Test
    void fanout_withASessionKey_isRefused() {
        var r = newTenant().api().post("/api/v1/browsing/async",
                "{\"task\":\"x\",\"fanout\":2,\"session_key\":\"k\"}");

        errorShape(r, 400, "invalid_request");
        assertThat(r.json().at("/error/message").asText()).startsWith("fanout:");
    }

    // ---- templates --------------------------------------------------------------------------------------------

    @Test
    void templates_custom_wrapsTheTask_setsLimitsAndScreenshots_unknownIs400_brokenIs500() throws Exception {
        Tenant t = newTenant();
        model.then(r -> {
            String sent = r.toString();
            assertThat(sent).contains("You shop carefully.").contains("Find a keyboard")
                    .contains("Answer in one line.");
            return navigate("/products.html");
        }).then(Reply.tool("scroll", "{\"direction\":\"down\"}"));

        JsonNode doc = awaitEnd(t.api(), async(t.api(), "{\"task\":\"Find a keyboard\",\"template\":\"shop\"}"));

        // max_steps 2: the agent stops after two steps without an answer
        assertThat(doc.get("status").asText()).isEqualTo("failed");
        assertThat(doc.at("/error/code").asText()).isEqualTo("step_limit");
        assertThat(doc.at("/info/template").asText()).isEqualTo("shop");
        // the template's screenshots, taken after a failure too
        assertThat(files(doc)).containsExactly("final.png");

        var unknown = t.api().post("/api/v1/browsing/async", "{\"task\":\"x\",\"template\":\"nope\"}");
        errorShape(unknown, 400, "invalid_request");
        assertThat(unknown.json().at("/error/message").asText()).contains("nope");
        errorShape(t.api().post("/api/v1/browsing/async", "{\"task\":\"x\",\"template\":\"../shop\"}"), 400,
                "invalid_request");
        errorShape(t.api().post("/api/v1/browsing/async", "{\"task\":\"x\",\"template\":\"broken\"}"), 500,
                "template_invalid");
    }

    @Test
    void templates_defaultByName_isTheShippedOne() throws Exception {
        Tenant t = newTenant();
        model.then(done("ok"));

        JsonNode doc = awaitEnd(t.api(), async(t.api(), "{\"task\":\"Do it\",\"template\":\"default\"}"));

        assertThat(doc.at("/info/template").asText()).isEqualTo("default");
        assertThat(doc.get("status").asText()).isEqualTo("completed");
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    @Test
    void badRequests_are400_inTheDialectsFormat_andCreateNothing() {
        Api api = newTenant().api();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"task\": ", "invalid_json");
        cases.put("[1]", "invalid_json");
        cases.put("", "invalid_request");
        cases.put("{}", "invalid_request");
        cases.put("{\"task\":\"  \"}", "invalid_request");
        cases.put("{\"task\":7}", "invalid_request");
        cases.put("{\"task\":\"x\",\"timeout\":0}", "invalid_request");
        cases.put("{\"task\":\"x\",\"timeout\":10800001}", "invalid_request");
        cases.put("{\"task\":\"x\",\"timeout\":\"soon\"}", "invalid_request");
        cases.put("{\"task\":\"x\",\"fanout\":0}", "invalid_request");
        cases.put("{\"task\":\"x\",\"fanout\":11}", "invalid_request");
        cases.put("{\"task\":\"x\",\"screenshots\":{}}", "invalid_request");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"full_page\":true}}", "invalid_request");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"mode\":\"sometimes\"}}", "invalid_request");
        cases.put("{\"task\":\"x\",\"screenshots\":\"final_only\"}", "invalid_request");
        cases.put("{\"task\":\"x\",\"session_key\":\"\"}", "invalid_request");
        cases.put("{\"task\":\"x\",\"colour\":\"red\"}", "invalid_request");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            for (String endpoint : List.of("async", "sync")) {
                var r = api.post("/api/v1/browsing/" + endpoint, c.getKey());
                errorShape(r, 400, c.getValue());
            }
        }
        var missing = api.post("/api/v1/browsing/async", "{}");
        assertThat(missing.json().at("/error/message").asText()).startsWith("task:");
        var timeout = api.post("/api/v1/browsing/async", "{\"task\":\"x\",\"timeout\":10800001}");
        assertThat(timeout.json().at("/error/message").asText()).startsWith("timeout:").contains("10800000");
        errorShape(api.get("/api/v1/browsing/status"), 400, "invalid_request");
        assertThat(api.get("/api/v1/browsing/status").json().at("/error/message").asText()).contains("task_id");
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void unauthorizedUnknownAndWrongMethod_areInTheDialectsFormat() {
        Api api = newTenant().api();
        Api anonymous = new Api(server.baseUrl(), null);

        errorShape(anonymous.post("/api/v1/browsing/async", "{\"task\":\"x\"}"), 401, "unauthorized");
        errorShape(new Api(server.baseUrl(), "trk_0123456789abcdef_" + "x".repeat(43)).get(
                "/api/v1/browsing/nodes"), 401, "unauthorized");
        errorShape(api.get("/api/v1/browsing/status?task_id=no-such-task"), 404, "task_not_found");
        errorShape(api.get("/api/v1/browsing/screenshots/no-such-task/final.png"), 404, "task_not_found");
        errorShape(api.get("/api/v1/browsing/elsewhere"), 404, null);

        Map<String, String> allowed = Map.of("/api/v1/browsing/async", "POST", "/api/v1/browsing/sync", "POST",
                "/api/v1/browsing/status", "GET", "/api/v1/browsing/nodes", "GET",
                "/api/v1/browsing/screenshots/some-task/final.png", "GET");
        for (Map.Entry<String, String> e : allowed.entrySet()) {
            String wrong = e.getValue().equals("GET") ? "POST" : "GET";
            for (String method : Set.of(wrong, "DELETE", "PUT")) {
                var r = api.send(api.request(e.getKey()).method(method, HttpRequest.BodyPublishers.noBody()).build());
                errorShape(r, 405, "method_not_allowed");
                assertThat(r.headers().firstValue("Allow").orElse("")).as(method + " " + e.getKey())
                        .contains(e.getValue());
            }
        }
    }

    @Test
    void tasks_belongToTheKeyThatCreatedThem_403AcrossKeys_404AcrossTenants() throws Exception {
        Tenant t = newTenant();
        model.then(done("mine"));
        String id = async(t.api(), "{\"task\":\"Mine\"}");
        awaitEnd(t.api(), id);

        errorShape(t.anotherKey().get("/api/v1/browsing/status?task_id=" + id), 403, "forbidden");
        errorShape(newTenant().api().get("/api/v1/browsing/status?task_id=" + id), 404, "task_not_found");
        assertThat(status(t.api(), id).get("status").asText()).isEqualTo("completed");

        // a task of another dialect is no browsing task, even to the key that created it
        model.then(done("v1"));
        var v1 = t.api().post("/api/v1/run-task", "{\"task\":\"Say v1\"}");
        assertThat(v1.status()).as(v1.body()).isEqualTo(200);
        String v1Id = v1.json().get("id").asText();
        errorShape(t.api().get("/api/v1/browsing/status?task_id=" + v1Id), 404, "task_not_found");
        eventually("the v1 task ends", () -> t.api().get("/api/v1/task/" + v1Id + "/status").body()
                .equals("\"finished\""), Duration.ofSeconds(30));
    }

    @Test
    void idempotencyKey_onAsync_createsOneTask() throws Exception {
        Tenant t = newTenant();
        model.then(done("once"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            var r = t.api().send(t.api().request("/api/v1/browsing/async").header("Content-Type", "application/json")
                    .header("Idempotency-Key", "browse-1").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"task\":\"Once\"}")).build());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            ids.add(r.json().get("task_id").asText());
        }

        assertThat(ids).hasSize(1);
        assertThat(awaitEnd(t.api(), ids.iterator().next()).get("payload").asText()).isEqualTo("once");
    }

    @Test
    void concurrentSyncRequests_eachGetTheirOwnTask() throws Exception {
        Tenant t = newTenant();
        model.otherwise(r -> done("done"));
        List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(Async.supply(() -> t.api().post("/api/v1/browsing/sync", "{\"task\":\"Go\"}")));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<Api.Response> c : calls) {
            Api.Response r = c.get();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            ids.add(r.json().get("task_id").asText());
        }
        assertThat(ids).hasSize(3);
    }
}
