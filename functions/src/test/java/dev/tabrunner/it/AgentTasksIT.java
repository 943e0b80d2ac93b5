package dev.tabrunner.it;

import dev.tabrunner.testing.Async;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Natural-language tasks through the HTTP API, end to end: the local server with DynamoDB Local and real Chromium,
 * fixture sites on loopback, and a scripted model speaking OpenAI's Chat Completions protocol on loopback.
 */
class AgentTasksIT {
    private static final String PASSWORD = "correct horse battery";
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    private static Path data;
    private static LocalServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        data = TestSystem.tempDir();
        server = TestSystem.startServer(data, settings());
        api = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
    }

    private static Map<String, String> settings() {
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_LLM_BASE_URL", model.baseUrl());
        env.put("TABRUNNER_LLM_API_KEY", "sk-scripted");
        env.put("TABRUNNER_LLM_MODEL", "gpt-4o-mini");
        env.put("TABRUNNER_LLM_MAX_ATTEMPTS", "1");
        env.put("TABRUNNER_AGENT_SYNC_WAIT_MS", "20000");
        return env;
    }

    @AfterAll
    static void stop() {
        server.close();
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

    private static String url(String path) {
        return site.url(path);
    }

    private static String newSession() {
        var r = api.post("/browser/sessions", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String tasks(String session) {
        return "/browser/sessions/" + session + "/tasks";
    }

    private static Api.Response awaitStatus(String pollUrl, String... wanted) throws InterruptedException {
        Api.Response r = api.get(pollUrl);
        for (int i = 0; i < 300 && !java.util.List.of(wanted).contains(r.json().get("status").asText()); i++) {
            Thread.sleep(100);
            r = api.get(pollUrl);
        }
        return r;
    }

    @Test
    void login_withASecretPlaceholder_neverShowsTheSecret() throws Exception {
        String session = newSession();
        model.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Username")
                                + ",\"text\":\"ada\"}"),
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Password")
                                + ",\"text\":\"<secret>password</secret>\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Sign in") + "}"))
                        .withContent("I will sign in"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Welcome back, ada");
                    return Reply.tool("done", "{\"message\":\"Signed in as ada\"}");
                });

        var r = api.post(tasks(session), "{\"taskDetails\":\"Sign in as ada\",\"startingUrl\":\""
                + url("/agent-login.html") + "\",\"secrets\":[{\"name\":\"password\",\"value\":\"" + PASSWORD
                + "\"}]}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.get("status").asText()).isEqualTo("task_completed");
        assertThat(body.at("/data/message").asText()).isEqualTo("Signed in as ada");
        assertThat(body.get("steps")).hasSize(2);
        assertThat(body.at("/steps/0/reasoning").asText()).isEqualTo("I will sign in");
        assertThat(body.at("/steps/0/actions/1/arguments/text").asText()).isEqualTo("<secret>password</secret>");
        assertThat(body.at("/usage/total_tokens").asLong()).isPositive();
        assertThat(body.at("/usage/cost").decimalValue()).isPositive();
        assertThat(body.at("/usage/completion_time").asDouble()).isPositive();
        assertThat(body.get("completedAt").asText()).isNotEmpty();
        assertThat(body.at("/data/network/0/urls").toString()).contains("agent-home.html");
        assertThat(body.at("/replay/2/text").asText()).isEqualTo("<secret>password</secret>");
        var shot = api.get(body.at("/steps/0/screenshotUrl").asText());
        assertThat(shot.status()).isEqualTo(200);
        assertThat(shot.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");

        // the secret went into the page (the site greets ada) but nowhere a model, a caller or the store sees
        String everywhere = model.everythingSent() + r.body() + api.get(tasks(session) + "/"
                + body.get("taskId").asText()).body() + api.get(tasks(session)).body()
                + api.get("/browser/sessions/" + session).body();
        assertThat(everywhere).doesNotContain(PASSWORD).doesNotContain("correct+horse+battery")
                .doesNotContain("correct%20horse");
        assertThat(model.authorizations()).containsOnly("Bearer sk-scripted");
        // its vault entry is gone with the task
        assertThat(Files.exists(data.resolve("vault").resolve("default")
                .resolve("task-" + body.get("taskId").asText() + ".secret"))).isFalse();
    }

    @Test
    void multiPageForm_andItsReplay_reachTheSamePageWithoutAModel() throws Exception {
        String session = newSession();
        model.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Full name")
                                + ",\"text\":\"Ada Lovelace\"}"),
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Email")
                                + ",\"text\":\"ada@example.com\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Next") + "}")))
                .then(r -> Reply.tools(
                        Call.of("select", "{\"index\":" + ScriptedModelServer.index(r, "Plan")
                                + ",\"option\":\"Pro\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "I accept the terms") + "}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Next") + "}")))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Thank you, Ada Lovelace!");
                    return Reply.tool("done", "{\"message\":\"Signed up for Pro\"}");
                });
        var r = api.post(tasks(session), "{\"taskDetails\":\"Sign up Ada Lovelace, ada@example.com, Pro plan\","
                + "\"startingUrl\":\"" + url("/wizard-1.html") + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String finalUrl = r.json().get("url").asText();
        assertThat(finalUrl).contains("/wizard-3.html?").contains("plan=pro");
        JsonNode replay = r.json().get("replay");
        assertThat(replay.findValuesAsText("type")).containsExactly("navigate", "type", "type", "click", "select",
                "click", "click");

        int callsBefore = model.requests().size();
        String other = newSession();
        var again = api.post(tasks(other), Json.mapper().createObjectNode().<com.fasterxml.jackson.databind.node
                .ObjectNode>set("actions", replay).put("content", true).toString());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json().get("url").asText()).isEqualTo(finalUrl);
        assertThat(again.json().at("/content/html").asText()).contains("Thank you, Ada Lovelace!")
                .contains("Plan: pro, email: ada@example.com");
        assertThat(model.requests()).hasSize(callsBefore);
    }

    @Test
    void downloadsWithOddNames_areKeptUnderGeneratedKeys_andListedWithTheirSafeNames() {
        String session = newSession();
        model.then(r -> Reply.tools(
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "My report") + "}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Cron") + "}")))
                .then(r -> Reply.tool("done", "{\"message\":\"downloaded both\"}"));
        var r = api.post(tasks(session), "{\"taskDetails\":\"Download both files\",\"startingUrl\":\""
                + url("/downloads.html") + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.get("status").asText()).as(body.toString()).isEqualTo("task_completed");
        JsonNode files = body.at("/data/files");
        assertThat(files).as(body.toString()).hasSize(2);
        assertThat(files.get(0).get("filename").asText()).isEqualTo("my report.pdf");
        String odd = files.get(1).get("filename").asText();
        assertThat(odd).doesNotContain("/").doesNotContain("\\").doesNotStartWith(".");
        for (JsonNode f : files) {
            var bytes = api.get(f.get("downloadUrl").asText());
            assertThat(bytes.status()).isEqualTo(200);
            assertThat(bytes.body()).isEqualTo("downloaded bytes");
        }
        assertThat(body.get("artifacts")).extracting(a -> a.get("filename").asText())
                .contains("my report.pdf", odd);
    }

    @Test
    void extraction_withAnOutputSchema_returnsValidatedOutput() {
        String session = newSession();
        model.then(Reply.tool("extract", "{\"selector\":\"#products\",\"name\":\"table\"}"))
                .then(Reply.tool("done", "{\"message\":\"found them\",\"output\":{\"products\":\"three\"}}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.toolResults(r).get(1)).contains("does not match");
                    return Reply.tool("done", "{\"message\":\"3 keyboards\",\"output\":{\"products\":["
                            + "{\"name\":\"Wireless keyboard\",\"price\":49.99},{\"name\":\"Mechanical keyboard\","
                            + "\"price\":89},{\"name\":\"Travel keyboard\",\"price\":29.5}]}}");
                });
        var r = api.post(tasks(session), "{\"taskDetails\":\"List keyboards with prices\",\"startingUrl\":\""
                + url("/products.html") + "\",\"outputSchema\":{\"type\":\"object\",\"required\":[\"products\"],"
                + "\"properties\":{\"products\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"
                + "[\"name\",\"price\"],\"properties\":{\"name\":{\"type\":\"string\"},\"price\":{\"type\":"
                + "\"number\"}}}}}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/data/output/products")).hasSize(3);
        assertThat(r.json().at("/data/output/products/0/price").asDouble()).isEqualTo(49.99);
    }

    @Test
    void pause_thenResume_continuesFromTheCheckpoint_onAFreshWorker() throws Exception {
        String session = newSession();
        model.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Full name")
                                + ",\"text\":\"Grace Hopper\"}"),
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Email")
                                + ",\"text\":\"grace@example.com\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Next") + "}"))
                        .delayed(2500));
        var posted = Async.supply(() -> api.post(tasks(session), "{\"taskDetails\":\"Sign up"
                + " Grace Hopper, grace@example.com, Team plan\",\"startingUrl\":\"" + url("/wizard-1.html") + "\"}"));
        String taskId = null;
        for (int i = 0; i < 100 && taskId == null; i++) {
            Thread.sleep(100);
            var list = api.get(tasks(session)).json().get("tasks");
            if (!list.isEmpty() && model.requests().size() == 1) {
                taskId = list.get(0).get("taskId").asText();
            }
        }
        assertThat(taskId).isNotNull();
        String poll = tasks(session) + "/" + taskId;
        var paused = api.post(poll + "/pause", "");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().get("status").asText()).isEqualTo("paused");
        assertThat(posted.get().json().get("status").asText()).isEqualTo("paused");
        JsonNode held = api.get(poll).json();
        assertThat(held.get("steps")).hasSize(1);
        assertThat(model.requests()).hasSize(1);

        // a different worker: the whole server, its worker and its Chromium are replaced
        server.close();
        server = TestSystem.startServer(data, settings());
        api = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);

        model.then(r -> {
            String page = ScriptedModelServer.lastUserText(r);
            assertThat(page).contains("Step 2 of").contains("wizard-2.html");
            // the memory of step 1 came back from the checkpoint
            assertThat(ScriptedModelServer.toolResults(r)).hasSize(3);
            return Reply.tools(
                    Call.of("select", "{\"index\":" + ScriptedModelServer.index(r, "Plan") + ",\"option\":\"Team\"}"),
                    Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "I accept the terms") + "}"),
                    Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Next") + "}"));
        }).then(Reply.tool("done", "{\"message\":\"Grace is signed up\"}"));
        var resumed = api.post(poll + "/resume", "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        JsonNode done = awaitStatus(poll, "task_completed", "failed").json();
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("task_completed");
        assertThat(done.get("steps").findValuesAsText("step")).containsExactly("1", "2", "3");
        assertThat(done.get("url").asText()).contains("name=Grace+Hopper").contains("plan=team");
    }

    @Test
    void stop_endsTheTaskWithinTheStep_evenWhileTheModelThinks() throws Exception {
        String session = newSession();
        model.then(Reply.tool("scroll", "{\"direction\":\"down\"}"))
                .then(Reply.tool("done", "{\"message\":\"too late\"}").delayed(5000));
        var posted = Async.supply(() -> api.post(tasks(session), "{\"taskDetails\":\"read\","
                + "\"startingUrl\":\"" + url("/long.html") + "\"}"));
        for (int i = 0; i < 100 && model.requests().size() < 2; i++) {
            Thread.sleep(100);
        }
        String taskId = api.get(tasks(session)).json().at("/tasks/0/taskId").asText();
        long before = System.nanoTime();
        var stopped = api.post(tasks(session) + "/" + taskId + "/stop", "");
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        assertThat(tookMs).isLessThan(3500);
        assertThat(posted.get().status()).isEqualTo(409);
        // the model's late answer changes nothing: one end state, and the stop is final
        Thread.sleep(5000);
        JsonNode after = api.get(tasks(session) + "/" + taskId).json();
        assertThat(after.get("status").asText()).isEqualTo("stopped");
        assertThat(after.at("/data/message").isMissingNode() || !after.at("/data/message").asText()
                .equals("too late")).isTrue();
        assertThat(api.post(tasks(session) + "/" + taskId + "/stop", "").status()).isEqualTo(409);
        assertThat(api.post(tasks(session) + "/" + taskId + "/resume", "").status()).isEqualTo(409);
    }

    @Test
    void guardrail_asksAPerson_andTheAnswerCarriesTheTaskOn() {
        String session = newSession();
        model.then(Reply.tool("ask_human", "{\"question\":\"Standard or express shipping?\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.toolResults(r)).contains("The user answered: express");
                    return Reply.tools(
                            Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Express") + "}"),
                            Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Confirm order") + "}"));
                })
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Order confirmed with express");
                    return Reply.tool("done", "{\"message\":\"Ordered, express shipping\"}");
                });
        long before = System.nanoTime();
        var r = api.post(tasks(session), "{\"taskDetails\":\"Place the order\",\"startingUrl\":\""
                + url("/shipping.html") + "\"}");
        assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(15_000);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("guardrail_trigger");
        assertThat(r.json().get("question").asText()).isEqualTo("Standard or express shipping?");
        String poll = r.json().get("pollUrl").asText();
        assertThat(api.post(poll + "/respond", "{\"answer\":\"\"}").status()).isEqualTo(400);
        assertThat(api.post(poll + "/respond", "{\"reply\":\"x\"}").json().at("/error/field").asText())
                .isEqualTo("reply");

        var answered = api.post(poll + "/respond", "{\"answer\":\"express\"}");
        assertThat(answered.status()).as(answered.body()).isEqualTo(201);
        assertThat(answered.json().at("/data/message").asText()).isEqualTo("Ordered, express shipping");
        assertThat(answered.json().at("/steps/0/answer").asText()).isEqualTo("express");
        assertThat(api.post(poll + "/respond", "{\"answer\":\"again\"}").status()).isEqualTo(409);
    }

    @Test
    void stepLimit_failsTheTask() {
        String session = newSession();
        model.otherwise(r -> Reply.tool("scroll", "{\"direction\":\"down\"}"));
        var r = api.post(tasks(session), "{\"taskDetails\":\"scroll\",\"maxSteps\":2,\"startingUrl\":\""
                + url("/long.html") + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().get("status").asText()).isEqualTo("failed");
        assertThat(r.json().at("/error/code").asText()).isEqualTo("step_limit");
        assertThat(r.json().get("steps")).hasSize(2);
        assertThat(model.requests()).hasSize(2);
    }

    @Test
    void tokenLimits_inputFails_outputTruncates() {
        String session = newSession();
        model.then(Reply.tool("scroll", "{\"direction\":\"down\"}").withUsage(1600, 5));
        var r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"maxInputTokens\":1500,\"startingUrl\":\""
                + url("/products.html") + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("max_input_tokens");
        assertThat(r.json().at("/usage/prompt_tokens").asLong()).isEqualTo(1600);

        model.reset();
        model.then(Reply.tool("done", "{\"message\":\"The cheapest keyboard is the Tra")
                .withContent("The cheapest keyboard is the Tra").withFinishReason("length").withUsage(500, 40));
        var cut = api.post(tasks(session), "{\"taskDetails\":\"Which is cheapest?\",\"maxOutputTokens\":40}");
        assertThat(cut.status()).as(cut.body()).isEqualTo(201);
        assertThat(cut.json().at("/data/truncated").asBoolean()).isTrue();
        assertThat(cut.json().at("/data/message").asText()).startsWith("The cheapest keyboard is the Tra");
        assertThat(model.requests().get(0).get("max_tokens").asInt()).isEqualTo(40);
    }

    @Test
    void tasksOfOneSession_runInTurn_andShareCookiesAndThePage() throws Exception {
        String session = newSession();
        model.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Username")
                                + ",\"text\":\"ada\"}"),
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Password")
                                + ",\"text\":\"{{password}}\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Sign in") + "}")).delayed(1500))
                .then(Reply.tool("done", "{\"message\":\"in\"}"))
                .then(r -> {
                    // task 2 opens the members page with no credentials: only the cookie of task 1 signs it in
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Welcome back, ada");
                    return Reply.tool("extract", "{\"name\":\"cookie\",\"selector\":\"#status\"}");
                })
                .then(Reply.tool("done", "{\"message\":\"still signed in\"}"));
        var first = Async.supply(() -> api.post(tasks(session), "{\"taskDetails\":\"Sign in\","
                + "\"startingUrl\":\"" + url("/agent-login.html") + "\",\"secrets\":[{\"name\":\"password\","
                + "\"value\":\"" + PASSWORD + "\"}]}"));
        for (int i = 0; i < 100 && model.requests().isEmpty(); i++) {
            Thread.sleep(50);
        }
        var second = api.post(tasks(session), "{\"taskDetails\":\"Check that I am signed in\",\"startingUrl\":\""
                + url("/agent-home.html") + "\"}");
        assertThat(first.get().status()).as(first.get().body()).isEqualTo(201);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.json().at("/data/output/cookie").asText()).isEqualTo("Welcome back, ada");
        assertThat(Instant(second.json().get("startedAt").asText()))
                .isAfterOrEqualTo(Instant(first.get().json().get("completedAt").asText()));
    }

    private static java.time.Instant Instant(String iso) {
        return java.time.Instant.parse(iso);
    }

    @Test
    void runTask_usesASessionOfItsOwn_terminatedAfterwards() {
        model.then(Reply.tool("done", "{\"message\":\"the index page\"}"));
        var r = api.post("/browser/run-task", "{\"taskDetails\":\"Look at the page\",\"startingUrl\":\""
                + url("/index.html") + "\",\"viewport\":{\"width\":800,\"height\":600}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String session = r.json().get("sessionId").asText();
        var s = api.get("/browser/sessions/" + session).json();
        assertThat(s.get("status").asText()).isEqualTo("terminated");
        assertThat(s.at("/viewport/width").asInt()).isEqualTo(800);
        assertThat(ScriptedModelServer.lastUserText(model.requests().get(0))).contains("viewport 800x600");
        assertThat(api.post("/browser/run-task", "{\"taskDetails\":\"x\",\"terminateOnCompletion\":false}")
                .status()).isEqualTo(400);
    }

    @Test
    void badRequests_nameTheField() {
        String session = newSession();
        var r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"maxDuration\":300001}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/field").asText()).isEqualTo("maxDuration");
        r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"model\":\"gpt-7\"}");
        assertThat(r.json().at("/error/field").asText()).isEqualTo("model");
        r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"outputSchema\":{\"type\":\"objekt\"}}");
        assertThat(r.json().at("/error/field").asText()).isEqualTo("outputSchema");
        r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"files\":[\"never-uploaded.csv\"]}");
        assertThat(r.status()).isEqualTo(404);
        r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"secrets\":[{\"name\":\"pw\",\"value\":\"abc\"}]}");
        assertThat(r.json().at("/error/field").asText()).isEqualTo("secrets[0].value");
        assertThat(r.body()).doesNotContain("\"abc\"");
        r = api.post(tasks(session), "{\"taskDetails\":\"x\",\"secrets\":[{\"name\":\"pw\",\"value\":\"s3cret!\"}],");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("s3cret");
        assertThat(model.requests()).isEmpty();
    }

    /**
     * Seed 001, "Task Dependencies": "Use the send-message endpoint to add tasks to an existing session"; the body
     * holds the task's parameters ({@code maxDuration} written as a number, as JSON writers often send 300000).
     */
    @Test
    void sendMessage_addsATaskToAnExistingSession_answeringLikeTasks() {
        String session = newSession();
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + url("/remember-me.html") + "\"}"))
                .then(Reply.tool("done", "{\"message\":\"remembered\"}"))
                .then(r -> {
                    // task 2 builds on task 1's state: the cookie it was given
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("remembered=ada-lovelace");
                    return Reply.tool("done", "{\"message\":\"still remembered\"}");
                });
        var first = api.post("/browser/sessions/" + session + "/send-message", "{\"taskDetails\":\"Get"
                + " remembered\",\"maxDuration\":300000.0,\"maxInputTokens\":100000.0}");
        assertThat(first.status()).as(first.body()).isEqualTo(201);

        var second = api.post("/browser/sessions/" + session + "/send-message", "{\"taskDetails\":\"Check\","
                + "\"startingUrl\":\"" + url("/viewport.html") + "\"}");

        assertThat(second.status()).as(second.body()).isEqualTo(201);
        JsonNode body = second.json();
        assertThat(body.get("status").asText()).isEqualTo("task_completed");
        assertThat(body.at("/data/message").asText()).isEqualTo("still remembered");
        assertThat(body.get("sessionId").asText()).isEqualTo(session);
        // the links a task hands out are absolute (seed 001: "hosted URLs")
        assertThat(body.at("/steps/0/screenshotUrl").asText()).startsWith(server.baseUrl() + "/browser/sessions/");
        assertThat(api.get(body.at("/steps/0/screenshotUrl").asText()).status()).isEqualTo(200);
        assertThat(api.get(tasks(session)).json().get("tasks")).hasSize(2);
        assertThat(api.post("/browser/sessions/" + session + "/send-message", "{\"actions\":[]}").json()
                .at("/error/field").asText()).isIn("actions", "taskDetails");
        assertThat(api.post("/browser/sessions/no-such-session/send-message", "{\"taskDetails\":\"x\"}").status())
                .isEqualTo(404);
    }

    /** Seed 001: {@code files} are "File IDs to attach for upload tasks"; every upload answers and lists its id. */
    @Test
    void files_nameUploadsByTheirIds() {
        String session = newSession();
        var up = api.uploadMultipart(session, "notes.txt", "text/plain", "hello".getBytes());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        String id = up.json().get("id").asText();
        assertThat(api.get("/browser/sessions/" + session + "/files").json().at("/files/0/id").asText())
                .isEqualTo(id);
        model.then(r -> {
            // the agent is offered the file by its name, which the page will show
            assertThat(r.toString()).contains("notes.txt");
            return Reply.tool("uploadFile", "{\"selector\":\"#upload\",\"filename\":\"notes.txt\"}");
        }).then(r -> {
            assertThat(ScriptedModelServer.lastUserText(r)).contains("notes.txt");
            return Reply.tool("done", "{\"message\":\"attached\"}");
        });

        var r = api.post(tasks(session), "{\"taskDetails\":\"Attach the notes\",\"startingUrl\":\""
                + url("/form.html") + "\",\"files\":[\"" + id + "\"]}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/steps/0/actions/0/result").asText()).doesNotContain("file_not_found");
        var unknown = api.post(tasks(session), "{\"taskDetails\":\"x\",\"files\":[\"no-such-id\"]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/code").asText()).isEqualTo("file_not_found");
    }

    /**
     * {@code allowedDomains} on a native session and its agent tasks, with browser-use v1's semantics
     * ({@code x.com} that host; {@code .x.com} / {@code *.x.com} the domain and its subdomains), enforced by the
     * egress proxy for every request of the browser.
     */
    @Test
    void allowedDomains_ofTheSession_keepItsAgentTasksInside() {
        var created = api.post("/browser/sessions", "{\"allowedDomains\":[\"127.0.0.1\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("allowedDomains").toString()).isEqualTo("[\"127.0.0.1\"]");
        String session = created.json().get("id").asText();
        String elsewhere = url("/viewport.html").replace("127.0.0.1", "localhost");
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + elsewhere + "\"}"))
                .then(r -> {
                    assertThat(String.join(" ", ScriptedModelServer.toolResults(r)))
                            .contains("destination_blocked").contains("allowed_domains");
                    return Reply.tool("done", "{\"message\":\"stayed inside\"}");
                });

        var r = api.post(tasks(session), "{\"taskDetails\":\"Stay inside\",\"startingUrl\":\""
                + url("/index.html") + "\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(model.requests().get(0).toString()).contains("You may only visit these domains");
        // a task may narrow its session's list, never widen it
        var wider = api.post(tasks(session), "{\"taskDetails\":\"x\",\"allowedDomains\":[\"localhost\"]}");
        assertThat(wider.status()).isEqualTo(400);
        assertThat(wider.json().at("/error/field").asText()).isEqualTo("allowedDomains[0]");
    }

    @Test
    void allowedDomains_ofATask_keepItsBrowserInside() {
        String session = newSession();
        String elsewhere = url("/viewport.html").replace("127.0.0.1", "localhost");
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + elsewhere + "\"}"))
                .then(r -> {
                    assertThat(String.join(" ", ScriptedModelServer.toolResults(r))).contains("destination_blocked");
                    return Reply.tool("done", "{\"message\":\"stayed inside\"}");
                });

        var r = api.post(tasks(session), "{\"taskDetails\":\"Stay inside\",\"startingUrl\":\""
                + url("/index.html") + "\",\"allowedDomains\":[\"127.0.0.1\"]}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/data/network/0/urls").toString()).contains("localhost");
    }

    /** Seed 002: stop "stops a running task immediately", also while a pause it asked for earlier is pending. */
    @Test
    void stop_winsOverAPendingPause_atOnce() throws Exception {
        String session = newSession();
        model.then(Reply.tool("scroll", "{\"direction\":\"down\"}").delayed(6000));
        Async.supply(() -> api.post(tasks(session), "{\"taskDetails\":\"read\",\"startingUrl\":\""
                + url("/long.html") + "\"}"));
        for (int i = 0; i < 100 && model.requests().isEmpty(); i++) {
            Thread.sleep(100);
        }
        String poll = tasks(session) + "/" + api.get(tasks(session)).json().at("/tasks/0/taskId").asText();
        var pause = Async.supply(() -> api.post(poll + "/pause", ""));
        for (int i = 0; i < 100 && !"pause".equals(api.get(poll).json().path("requested").asText()); i++) {
            Thread.sleep(50);
        }
        assertThat(api.get(poll).json().path("requested").asText()).isEqualTo("pause");

        long before = System.nanoTime();
        var stopped = api.post(poll + "/stop", "");

        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(3500);
        assertThat(pause.get().json().get("status").asText()).isEqualTo("stopped");
        assertThat(api.get(poll).json().get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void withoutAProvider_naturalLanguageIsRefused_scriptedTasksStillRun() {
        try (LocalServer plain = TestSystem.startServer(TestSystem.tempDir(), Map.of())) {
            Api other = new Api(plain.baseUrl(), TestSystem.ADMIN_KEY);
            String session = other.post("/browser/sessions", "{}").json().get("id").asText();
            var r = other.post(tasks(session), "{\"taskDetails\":\"Find the price\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(501);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("llm_not_configured");
            assertThat(r.json().at("/error/message").asText()).contains("TABRUNNER_LLM_BASE_URL");
            assertThat(other.post("/browser/run-task", "{\"taskDetails\":\"x\"}").status()).isEqualTo(501);
            var scripted = other.post(tasks(session), "{\"url\":\"" + url("/index.html") + "\"}");
            assertThat(scripted.status()).as(scripted.body()).isEqualTo(201);
        }
    }
}
