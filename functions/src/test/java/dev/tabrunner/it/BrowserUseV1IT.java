package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import dev.tabrunner.testing.UpstreamProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser-use v1 Tasks API (seeds 002 and 004) over HTTP, end to end: the local server with DynamoDB Local and
 * real Chromium, fixture pages on loopback and a scripted model. Requests are the seeds' own examples, as written
 * and with their placeholders filled in.
 */
class BrowserUseV1IT {
    /** Seed 002's request example, exactly as the seed writes it (placeholders and all). */
    static final String SEED_EXAMPLE = SeedExamples.V1_RUN_TASK;
    private static final String SECRET = "hunter2-but-longer";
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    /** The operator's US proxy ({@code TABRUNNER_PROXY_US}); the only country configured. */
    private static final String PROXY_AUTH = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("op:proxy-pw".getBytes(StandardCharsets.UTF_8));
    private static UpstreamProxyFixture usProxy;
    private static LocalServer server;
    private static Api admin;

    @BeforeAll
    static void start() throws java.io.IOException {
        usProxy = UpstreamProxyFixture.start(PROXY_AUTH);
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_PROXY_US", "http://op:proxy-pw@127.0.0.1:" + usProxy.port());
        env.put("TABRUNNER_LLM_BASE_URL", model.baseUrl());
        env.put("TABRUNNER_LLM_API_KEY", "sk-scripted");
        env.put("TABRUNNER_LLM_MAX_ATTEMPTS", "1");
        server = TestSystem.startServer(TestSystem.tempDir(), env);
        admin = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
    }

    @AfterAll
    static void stop() throws java.io.IOException {
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

    private static Api newTenant() {
        String tenant = "v1" + Long.toHexString(System.nanoTime());
        var r = admin.post("/admin/api-keys", "{\"tenantId\":\"" + tenant + "\",\"role\":\"user\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Api(server.baseUrl(), r.json().get("key").asText());
    }

    private static Api.Response put(Api api, String path, String body) {
        HttpRequest.Builder b = api.request(path);
        if (body == null) {
            b.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
        }
        return api.send(b.build());
    }

    private static String run(Api api, String body) {
        var r = api.post("/api/v1/run-task", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        return r.json().get("id").asText();
    }

    /** Polls {@code /status} (a bare JSON string) until the task is in one of the wanted states. */
    private static String awaitStatus(Api api, String id, String... wanted) throws InterruptedException {
        String status = null;
        for (int i = 0; i < 400; i++) {
            var r = api.get("/api/v1/task/" + id + "/status");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(r.body()).startsWith("\"").endsWith("\"");
            status = r.json().asText();
            if (List.of(wanted).contains(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task " + id + " stayed " + status);
    }

    private static List<String> locs(Api.Response r) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : r.json().get("detail")) {
            assertThat(d.fieldNames()).toIterable().containsExactly("loc", "msg", "type");
            assertThat(d.get("msg").asText()).isNotBlank();
            assertThat(d.get("type").asText()).isNotBlank();
            out.add(d.get("loc").toString());
        }
        return out;
    }

    /**
     * The seed's example as written is refused only for the placeholders its types cannot take ({@code "<string>"}
     * is no domain and no JSON Schema), every problem listed in the seed's shape; its viewport of 123 is no problem.
     */
    @Test
    void runTask_seedExampleAsWritten_is422_listingEveryProblemInTheSeedShape() {
        Api api = newTenant();

        var r = api.post("/api/v1/run-task", SEED_EXAMPLE);

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(locs(r)).containsExactlyInAnyOrder("[\"body\",\"allowed_domains\",0]",
                "[\"body\",\"structured_output_json\"]");
        assertThat(r.body()).doesNotContain("browser_viewport");
        assertThat(api.get("/api/v1/tasks").json().get("total_count").asInt()).isZero();
    }

    @Test
    void runTask_seedExampleFilledIn_runs_andGetTaskShowsEveryDocumentedField() throws Exception {
        Api api = newTenant();
        var upload = api.postBytes("/api/v1/uploads?file_name=orders.csv", "text/csv",
                "id,total\n1,9.99\n".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        assertThat(upload.json().get("file_name").asText()).isEqualTo("orders.csv");
        String schema = "{\"type\":\"object\",\"required\":[\"size\"],\"properties\":{\"size\":{\"type\":\"string\"}}}";
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}")
                        .withContent("Evaluation of previous goal: Unknown - nothing done yet\n"
                                + "Next goal: open the viewport page"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Viewport is 1024x700");
                    return Reply.tool("done", "{\"message\":\"read it\",\"output\":{\"size\":\"1024x700\"}}")
                            .withContent("Evaluation of previous goal: Success - the page shows the size\n"
                                    + "Next goal: report the size");
                });
        String body = SEED_EXAMPLE.replace("\"task\": \"<string>\"", "\"task\": \"Read the viewport size\"")
                .replace("\"secrets\": {}", "\"secrets\": {\"password\": \"" + SECRET + "\"}")
                .replace("[\"<string>\"],\n  \"save", "[\"127.0.0.1\"],\n  \"save")
                .replace("\"structured_output_json\": \"<string>\"", "\"structured_output_json\": "
                        + Json.mapper().valueToTree(schema))
                .replace("\"included_file_names\": [\"<string>\"]", "\"included_file_names\": [\"orders.csv\"]")
                .replace("\"browser_viewport_width\": 123", "\"browser_viewport_width\": 1024")
                .replace("\"browser_viewport_height\": 123", "\"browser_viewport_height\": 700")
                .replace("\"max_agent_steps\": 123", "\"max_agent_steps\": 5");
        assertThat(body).doesNotContain("<string>");

        usProxy.clear();

        String id = run(api, body);

        assertThat(awaitStatus(api, id, "finished", "failed", "stopped")).isEqualTo("finished");
        // use_proxy + us: the page came through the operator's US proxy, with its credentials
        assertThat(usProxy.seen()).extracting(UpstreamProxyFixture.Seen::requestLine)
                .anyMatch(line -> line.contains("/viewport.html"));
        assertThat(usProxy.seen()).extracting(UpstreamProxyFixture.Seen::authorization).containsOnly(PROXY_AUTH);
        var r = api.get("/api/v1/task/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode t = r.json();
        assertThat(t.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "task", "output", "status",
                "created_at", "steps", "live_url", "finished_at", "browser_data", "user_uploaded_files",
                "output_files", "public_share_url", "metadata", "proxy");
        assertThat(t.get("proxy").toString()).isEqualTo("{\"country_code\":\"us\",\"used\":true,\"detail\":null}");
        assertThat(t.get("id").asText()).isEqualTo(id);
        assertThat(t.get("task").asText()).isEqualTo("Read the viewport size");
        assertThat(Json.mapper().readTree(t.get("output").asText()).get("size").asText()).isEqualTo("1024x700");
        assertThat(t.get("status").asText()).isEqualTo("finished");
        assertThat(java.time.Instant.parse(t.get("created_at").asText()))
                .isBefore(java.time.Instant.parse(t.get("finished_at").asText()));
        assertThat(t.get("steps")).hasSize(2);
        JsonNode step = t.get("steps").get(0);
        assertThat(step.get("step").asInt()).isEqualTo(1);
        assertThat(step.get("evaluation_previous_goal").asText()).isEqualTo("Unknown - nothing done yet");
        assertThat(step.get("next_goal").asText()).isEqualTo("open the viewport page");
        assertThat(step.get("actions").toString()).contains("navigate");
        assertThat(t.at("/steps/1/url").asText()).endsWith("/viewport.html");
        assertThat(t.at("/steps/1/evaluation_previous_goal").asText()).startsWith("Success");
        assertThat(t.get("live_url").isNull()).isTrue();
        assertThat(t.get("user_uploaded_files").toString()).isEqualTo("[\"orders.csv\"]");
        assertThat(t.get("output_files")).isEmpty();
        assertThat(t.get("metadata").toString()).isEqualTo("{\"campaign\":\"q4-automation\",\"team\":\"marketing\"}");
        assertThat(t.get("browser_data").has("cookies")).isTrue();
        assertThat(t.get("public_share_url").asText()).startsWith(server.baseUrl() + "/share/" + id + "?token=");
        // the secret reached no model, no view
        assertThat(model.everythingSent() + r.body() + api.get("/api/v1/tasks").body()).doesNotContain(SECRET);
        // the requested model is the one called
        assertThat(model.requests().get(0).get("model").asText()).contains("gpt-4o");
    }

    @Test
    void runTask_minimalBody_appliesTheSeedDefaults() throws Exception {
        Api api = newTenant();
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Viewport is 1280x960");
                    return Reply.tool("done", "{\"message\":\"1280x960\"}");
                });

        String id = run(api, "{\"task\":\"Read the viewport size\"}");

        assertThat(awaitStatus(api, id, "finished", "failed")).isEqualTo("finished");
        JsonNode t = api.get("/api/v1/task/" + id).json();
        assertThat(t.get("output").asText()).isEqualTo("1280x960");
        assertThat(t.get("public_share_url").isNull()).isTrue();
        assertThat(t.get("browser_data").isNull()).isTrue();
        assertThat(t.get("metadata")).isEmpty();
        assertThat(t.get("user_uploaded_files")).isEmpty();
        assertThat(model.requests().get(0).get("model").asText()).contains("gpt-4.1");
    }

    @Test
    void runTask_badFields_are422_naming_each_withoutQuotingSecrets() {
        Api api = newTenant();
        StringBuilder eleven = new StringBuilder("{");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        eleven.append('}');
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{}", "[\"body\",\"task\"]");
        cases.put("{\"task\":7}", "[\"body\",\"task\"]");
        cases.put("{\"task\":\"x\",\"llm_model\":\"gpt-5\"}", "[\"body\",\"llm_model\"]");
        cases.put("{\"task\":\"x\",\"proxy_country_code\":\"xx\"}", "[\"body\",\"proxy_country_code\"]");
        cases.put("{\"task\":\"x\",\"max_agent_steps\":201}", "[\"body\",\"max_agent_steps\"]");
        cases.put("{\"task\":\"x\",\"max_agent_steps\":0}", "[\"body\",\"max_agent_steps\"]");
        cases.put("{\"task\":\"x\",\"max_agent_steps\":\"many\"}", "[\"body\",\"max_agent_steps\"]");
        cases.put("{\"task\":\"x\",\"use_adblock\":\"yes\"}", "[\"body\",\"use_adblock\"]");
        cases.put("{\"task\":\"x\",\"metadata\":" + eleven + "}", "[\"body\",\"metadata\"]");
        cases.put("{\"task\":\"x\",\"metadata\":{\"" + "k".repeat(101) + "\":\"v\"}}", "[\"body\",\"metadata\"]");
        cases.put("{\"task\":\"x\",\"metadata\":{\"\":\"v\"}}", "[\"body\",\"metadata\"]");
        cases.put("{\"task\":\"x\",\"metadata\":{\"k\":\"" + "v".repeat(1001) + "\"}}",
                "[\"body\",\"metadata\",\"k\"]");
        cases.put("{\"task\":\"x\",\"metadata\":{\"k\":1}}", "[\"body\",\"metadata\",\"k\"]");
        cases.put("{\"task\":\"x\",\"allowed_domains\":\"example.com\"}", "[\"body\",\"allowed_domains\"]");
        cases.put("{\"task\":\"x\",\"structured_output_json\":\"{\\\"type\\\":\\\"objekt\\\"}\"}",
                "[\"body\",\"structured_output_json\"]");
        cases.put("{\"task\":\"x\",\"secrets\":{\"pin\":\"abc\"}}", "[\"body\",\"secrets\",\"pin\"]");
        cases.put("{\"task\":\"x\",\"colour\":\"red\"}", "[\"body\",\"colour\"]");
        cases.put("{\"task\":\"x\",\"included_file_names\":[\"never-uploaded.txt\"]}",
                "[\"body\",\"included_file_names\",0]");
        cases.put("{\"task\":\"x\",\"use_proxy\":true,\"proxy_country_code\":\"jp\"}",
                "[\"body\",\"proxy_country_code\"]");
        cases.put("{\"task\": \"x\",", "[\"body\",");

        for (Map.Entry<String, String> c : cases.entrySet()) {
            var r = api.post("/api/v1/run-task", c.getKey());
            assertThat(r.status()).as(c.getKey() + " -> " + r.body()).isEqualTo(422);
            assertThat(String.join(" ", locs(r))).as(c.getKey()).contains(c.getValue());
            assertThat(r.body()).doesNotContain("\"abc\"");
        }
        var extra = api.post("/api/v1/run-task", "{\"task\":\"x\",\"colour\":\"red\"}");
        assertThat(extra.json().at("/detail/0/type").asText()).isEqualTo("extra_forbidden");
        var missing = api.post("/api/v1/run-task", "{}");
        assertThat(missing.json().at("/detail/0/type").asText()).isEqualTo("missing");
        assertThat(missing.json().at("/detail/0/msg").asText()).isEqualTo("Field required");
        assertThat(api.get("/api/v1/tasks").json().get("total_count").asInt()).isZero();
    }

    @Test
    void controls_pauseResumeStop_answer200Empty_andAStoppedTaskCannotBeResumed() throws Exception {
        Api api = newTenant();
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}").delayed(1500))
                .otherwise(r -> Reply.tool("wait", "{\"seconds\":1}").delayed(300));
        String id = run(api, "{\"task\":\"Wait around\",\"use_proxy\":false}");
        awaitStatus(api, id, "running");

        var paused = put(api, "/api/v1/pause-task?task_id=" + id, null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.body()).isEmpty();
        assertThat(awaitStatus(api, id, "paused")).isEqualTo("paused");

        var resumed = put(api, "/api/v1/resume-task?task_id=" + id, null);
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.body()).isEmpty();
        assertThat(awaitStatus(api, id, "running", "created")).isIn("running", "created");

        var stopped = put(api, "/api/v1/stop-task?task_id=" + id, null);
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.body()).isEmpty();
        assertThat(awaitStatus(api, id, "stopped")).isEqualTo("stopped");
        assertThat(api.get("/api/v1/task/" + id).json().get("finished_at").isNull()).isFalse();

        var again = put(api, "/api/v1/resume-task?task_id=" + id, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("stopped task cannot be resumed");

        var noId = put(api, "/api/v1/stop-task", null);
        assertThat(noId.status()).isEqualTo(422);
        assertThat(locs(noId)).containsExactly("[\"query\",\"task_id\"]");
        var unknown = put(api, "/api/v1/pause-task?task_id=nope", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).isEqualTo("Task not found");
        model.reset();
    }

    /**
     * Seed 004: a paused task "can be resumed later using the /resume-task endpoint". A task shown as paused because
     * its agent asked a person something (v1 has no way to answer) goes on without an answer.
     */
    @Test
    void resumeTask_continuesATaskPausedForAQuestion_withoutAnAnswer() throws Exception {
        Api api = newTenant();
        model.then(r -> Reply.tool("ask_human", "{\"question\":\"Standard or express shipping?\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.toolResults(r).toString()).contains("resumed without one");
                    return Reply.tool("done", "{\"message\":\"went on without an answer\"}");
                });
        String id = run(api, "{\"task\":\"Place the order\",\"use_proxy\":false}");
        assertThat(awaitStatus(api, id, "paused", "finished", "failed")).isEqualTo("paused");

        var resumed = put(api, "/api/v1/resume-task?task_id=" + id, null);

        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.body()).isEmpty();
        assertThat(awaitStatus(api, id, "finished", "failed")).isEqualTo("finished");
        assertThat(api.get("/api/v1/task/" + id).json().get("output").asText()).isEqualTo("went on without an answer");
    }

    /** Seed 004: stop-task "stops a running browser automation task immediately", a pause pending or not. */
    @Test
    void stopTask_winsOverAPendingPause_atOnce() throws Exception {
        Api api = newTenant();
        model.then(Reply.tool("wait", "{\"seconds\":1}").delayed(6000));
        String id = run(api, "{\"task\":\"Wait around\",\"use_proxy\":false}");
        awaitStatus(api, id, "running");
        for (int i = 0; i < 100 && model.requests().isEmpty(); i++) {
            Thread.sleep(50);
        }
        var pause = dev.tabrunner.testing.Async.supply(() -> put(api, "/api/v1/pause-task?task_id=" + id, null));
        Thread.sleep(700); // the pause is asked for, and waits for the step under way

        long before = System.nanoTime();
        var stopped = put(api, "/api/v1/stop-task?task_id=" + id, null);

        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(3500);
        assertThat(awaitStatus(api, id, "stopped")).isEqualTo("stopped");
        assertThat(pause.get().status()).isIn(200, 409);
        model.reset();
    }

    @Test
    void listTasks_newestFirst_paged_withTotals_andOnlyTheCallersV1Tasks() throws Exception {
        Api api = newTenant();
        model.otherwise(r -> Reply.tool("done", "{\"message\":\"ok\"}"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(0, run(api, "{\"task\":\"Task number " + i + "\",\"use_proxy\":false}"));
            Thread.sleep(5);
        }
        for (String id : ids) {
            awaitStatus(api, id, "finished", "failed");
        }
        Api other = newTenant();

        var first = api.get("/api/v1/tasks?page=1&limit=2");
        var second = api.get("/api/v1/tasks?page=2&limit=2");
        var defaults = api.get("/api/v1/tasks");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode p1 = first.json();
        assertThat(p1.fieldNames()).toIterable().containsExactly("tasks", "total_pages", "page", "limit",
                "total_count");
        assertThat(p1.get("tasks")).hasSize(2);
        assertThat(p1.at("/tasks/0/id").asText()).isEqualTo(ids.get(0));
        assertThat(p1.at("/tasks/1/id").asText()).isEqualTo(ids.get(1));
        assertThat(p1.get("total_pages").asInt()).isEqualTo(2);
        assertThat(p1.get("page").asInt()).isEqualTo(1);
        assertThat(p1.get("limit").asInt()).isEqualTo(2);
        assertThat(p1.get("total_count").asInt()).isEqualTo(3);
        assertThat(p1.at("/tasks/0").fieldNames()).toIterable().containsExactly("id", "task", "output", "status",
                "created_at", "finished_at", "live_url");
        assertThat(p1.at("/tasks/0/task").asText()).isEqualTo("Task number 2");
        assertThat(p1.at("/tasks/0/status").asText()).isEqualTo("finished");
        assertThat(p1.at("/tasks/0/output").asText()).isEqualTo("ok");
        assertThat(second.json().get("tasks")).hasSize(1);
        assertThat(second.json().at("/tasks/0/id").asText()).isEqualTo(ids.get(2));
        assertThat(defaults.json().get("limit").asInt()).isEqualTo(10);
        assertThat(defaults.json().get("page").asInt()).isEqualTo(1);
        assertThat(other.get("/api/v1/tasks").json().get("total_count").asInt()).isZero();
        assertThat(other.get("/api/v1/task/" + ids.get(0)).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/task/" + ids.get(0) + "/status").status()).isEqualTo(404);
        assertThat(put(other, "/api/v1/stop-task?task_id=" + ids.get(0), null).status()).isEqualTo(404);

        assertThat(locs(api.get("/api/v1/tasks?limit=101"))).containsExactly("[\"query\",\"limit\"]");
        assertThat(locs(api.get("/api/v1/tasks?limit=0"))).containsExactly("[\"query\",\"limit\"]");
        assertThat(locs(api.get("/api/v1/tasks?page=0"))).containsExactly("[\"query\",\"page\"]");
        assertThat(api.get("/api/v1/tasks?page=x").status()).isEqualTo(422);
        assertThat(api.get("/api/v1/tasks?limit=100").status()).isEqualTo(200);
    }

    @Test
    void errors_keepTheV1Shape_forAuthAndUnknownRoutes() {
        var anonymous = new Api(server.baseUrl(), null).get("/api/v1/tasks");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("detail").asText()).contains("API key");
        var wrongKey = new Api(server.baseUrl(), "nope").get("/api/v1/task/x");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.json().has("detail")).isTrue();
        var nowhere = newTenant().get("/api/v1/no-such-route");
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.json().has("detail")).isTrue();
        // the native API keeps its own format
        assertThat(new Api(server.baseUrl(), null).get("/browser/sessions").json().has("error")).isTrue();
    }

    @Test
    void publicShare_showsStepsAndScreenshots_withoutAKey_andOnlyThatTask() throws Exception {
        Api api = newTenant();
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}")
                        .withContent("Next goal: <b>open</b> the page"))
                .then(r -> Reply.tool("done", "{\"message\":\"shared\"}"));
        String id = run(api, "{\"task\":\"Share me <script>alert(1)</script>\",\"enable_public_share\":true}");
        awaitStatus(api, id, "finished");
        model.then(r -> Reply.tool("done", "{\"message\":\"private\"}"));
        String other = run(api, "{\"task\":\"Keep me\"}");
        awaitStatus(api, other, "finished");
        String share = api.get("/api/v1/task/" + id).json().get("public_share_url").asText();
        String token = share.substring(share.indexOf("token=") + 6);
        Api anonymous = new Api(server.baseUrl(), null);

        var page = anonymous.send(HttpRequest.newBuilder(URI.create(share)).GET().build());

        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Share me &lt;script&gt;").doesNotContain("<script>")
                .contains("&lt;b&gt;open&lt;/b&gt; the page").contains("shared");
        java.util.regex.Matcher img = java.util.regex.Pattern.compile("src=\"(/share/[^\"]+)\"").matcher(page.body());
        assertThat(img.find()).isTrue();
        var shot = anonymous.get(img.group(1).replace("&amp;", "&"));
        assertThat(shot.status()).isEqualTo(200);
        assertThat(shot.headers().firstValue("Content-Type").orElse("")).startsWith("image/");
        assertThat(anonymous.get("/share/" + id + "?token=wrong").status()).isEqualTo(404);
        assertThat(anonymous.get("/share/" + id).status()).isEqualTo(404);
        assertThat(anonymous.get("/share/" + other + "?token=" + token).status()).isEqualTo(404);
        var json = anonymous.get("/share/" + id + "/task?token=" + token);
        assertThat(json.json().get("status").asText()).isEqualTo("finished");
        assertThat(json.json().has("browser_data")).isFalse();
    }

    @Test
    void profiles_keepCookiesAcrossTasks_onlyWhenSaved_andOnlyInTheirProfile() throws Exception {
        Api api = newTenant();
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/remember-me.html") + "\"}"))
                .then(r -> Reply.tool("done", "{\"message\":\"remembered\"}"));
        String saving = run(api, "{\"task\":\"Get remembered\",\"browser_profile_id\":\"shop\","
                + "\"save_browser_data\":true}");
        assertThat(awaitStatus(api, saving, "finished", "failed")).isEqualTo("finished");
        JsonNode cookies = api.get("/api/v1/task/" + saving).json().at("/browser_data/cookies");
        assertThat(cookies.toString()).contains("remembered").contains("ada-lovelace");

        for (String[] c : new String[][]{{"shop", "remembered=ada-lovelace"}, {"other", "Cookies: (none)"}}) {
            model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}"))
                    .then(r -> {
                        assertThat(ScriptedModelServer.lastUserText(r)).as(c[0]).contains(c[1]);
                        return Reply.tool("done", "{\"message\":\"checked\"}");
                    });
            String id = run(api, "{\"task\":\"Check cookies\",\"browser_profile_id\":\"" + c[0] + "\"}");
            assertThat(awaitStatus(api, id, "finished", "failed")).isEqualTo("finished");
            assertThat(api.get("/api/v1/task/" + id).json().get("browser_data").isNull()).isTrue();
        }
        // another tenant's profile of the same name is another profile
        Api stranger = newTenant();
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Cookies: (none)");
                    return Reply.tool("done", "{\"message\":\"checked\"}");
                });
        String id = run(stranger, "{\"task\":\"Check cookies\",\"browser_profile_id\":\"shop\"}");
        assertThat(awaitStatus(stranger, id, "finished", "failed")).isEqualTo("finished");
    }

    @Test
    void liveUrl_opensTheLiveViewOfTheRunningTask_withoutAKey_andIsGoneAtTheEnd() throws Exception {
        Api api = newTenant();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}"))
                .then(r -> {
                    try {
                        release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.tool("done", "{\"message\":\"watched\"}");
                });
        String id = run(api, "{\"task\":\"Be watched\"}");
        awaitStatus(api, id, "running");
        String live = null;
        for (int i = 0; i < 100 && live == null; i++) {
            JsonNode t = api.get("/api/v1/task/" + id).json();
            if (t.hasNonNull("live_url") && model.requests().size() >= 2) {
                live = t.get("live_url").asText();
            } else {
                Thread.sleep(100);
            }
        }
        assertThat(live).startsWith(server.baseUrl() + "/live/" + id + "?token=");
        Api anonymous = new Api(server.baseUrl(), null);
        var page = anonymous.send(HttpRequest.newBuilder(URI.create(live)).GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        var frame = anonymous.send(HttpRequest.newBuilder(URI.create(live.replace("?token=", "/frame?token=")))
                .GET().build());
        assertThat(frame.status()).isEqualTo(200);
        assertThat(frame.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        assertThat(api.get("/api/v1/tasks").json().at("/tasks/0/live_url").asText()).isEqualTo(live);

        release.countDown();

        assertThat(awaitStatus(api, id, "finished", "failed")).isEqualTo("finished");
        assertThat(api.get("/api/v1/task/" + id).json().get("live_url").isNull()).isTrue();
        assertThat(anonymous.send(HttpRequest.newBuilder(URI.create(live)).GET().build()).status()).isEqualTo(404);
    }

    @Test
    void allowedDomains_blockEveryOtherHost_andUseProxyFalse_connectsDirectly() throws Exception {
        Api api = newTenant();
        String elsewhere = site.url("/viewport.html").replace("127.0.0.1", "localhost");
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + elsewhere + "\"}"))
                .then(r -> {
                    assertThat(String.join(" ", ScriptedModelServer.toolResults(r)))
                            .contains("destination_blocked").contains("allowed_domains");
                    return Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}");
                })
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Viewport is");
                    return Reply.tool("done", "{\"message\":\"stayed inside\"}");
                });
        usProxy.clear();

        String id = run(api, "{\"task\":\"Stay on 127.0.0.1\",\"allowed_domains\":[\"127.0.0.1\"],"
                + "\"use_proxy\":false}");

        assertThat(awaitStatus(api, id, "finished", "failed")).isEqualTo("finished");
        assertThat(api.get("/api/v1/task/" + id).json().get("output").asText()).isEqualTo("stayed inside");
        assertThat(usProxy.seen()).isEmpty();
        // the agent is told which domains it may visit
        assertThat(model.requests().get(0).toString()).contains("You may only visit these domains");
    }
}
