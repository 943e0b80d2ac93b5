package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.AgentArtifacts;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.adapter.bedrock.BedrockConverseLanguageModel;
import dev.tabrunner.adapter.openai.OpenAiCompatibleLanguageModel;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.ModelCatalog;
import dev.tabrunner.llm.ModelInfo;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import dev.tabrunner.testing.SubstituteBedrockRuntimeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent loop in real Chromium against fixture pages, with a scripted model on loopback. */
class AgentLoopTest {
    private static final String PASSWORD = "correct horse battery";
    private static BrowserFixture browser;
    private final ScriptedModelServer model = ScriptedModelServer.start();
    private final RecordingHooks hooks = new RecordingHooks();
    private final DirectActionRunner runner = new DirectActionRunner();
    private final ModelInfo mini = ModelCatalog.BUILT_IN.find("gpt-4o-mini").orElseThrow();

    @BeforeAll
    static void start() {
        browser = new BrowserFixture();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @AfterEach
    void closeModel() {
        assertThat(model.scriptFailures()).isEmpty();
        model.close();
    }

    private LanguageModel openAi() {
        return new OpenAiCompatibleLanguageModel(URI.create(model.baseUrl()), () -> "test-key", null,
                HttpClient.newHttpClient(), 1, Duration.ofMillis(10), Duration.ofMillis(10));
    }

    private static AgentTaskRequestParser.Parsed parse(String body) throws Exception {
        return AgentTaskRequestParser.parse(Json.mapper().readTree(body));
    }

    private AgentLoop loop(AgentTaskRequestParser.Parsed p, LanguageModel lm, ModelInfo info) {
        return new AgentLoop(p.request(), p.secrets(), lm, info, info.name(), runner, hooks, Clock.systemUTC(),
                AgentSettings.DEFAULTS);
    }

    @Test
    void login_typesTheSecretThroughItsPlaceholder_andTheModelNeverSeesIt() throws Exception {
        var p = parse("{\"taskDetails\":\"Sign in as ada with the password secret\",\"startingUrl\":\""
                + browser.url("/agent-login.html") + "\",\"secrets\":[{\"name\":\"password\",\"value\":\""
                + PASSWORD + "\"}]}");
        model.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Username")
                                + ",\"text\":\"ada\"}"),
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Password")
                                + ",\"text\":\"<secret>password</secret>\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Sign in") + "}"))
                        .withContent("Filling the login form"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Welcome back, ada");
                    return Reply.tool("done", "{\"message\":\"Signed in; the page greets ada\"}");
                });
        Page page = browser.newPage();
        AgentState state = AgentState.fresh();

        AgentOutcome outcome = loop(p, openAi(), mini).run(page, state);

        assertThat(outcome.completed()).as(String.valueOf(outcome.error())).isTrue();
        assertThat(page.locator("#status").textContent()).isEqualTo("Welcome back, ada");
        assertThat(state.message()).isEqualTo("Signed in; the page greets ada");
        // the browser got the value, the model only ever the placeholder: not in prompts, not in the echoed page,
        // not in the URL that now carries it
        assertThat(runner.ran).contains(new Action.Type("#pw", PASSWORD, null));
        assertThat(model.everythingSent()).doesNotContain(PASSWORD).doesNotContain("correct+horse+battery")
                .contains("<secret>password</secret>");
        String progress = state.progressJson().toString();
        assertThat(progress).doesNotContain(PASSWORD).doesNotContain("correct+horse+battery");
        assertThat(state.checkpointJson().toString()).doesNotContain(PASSWORD);
        hooks.checkpoints.forEach(c -> assertThat(c).doesNotContain(PASSWORD));
        assertThat(state.replay().toString()).contains("<secret>password</secret>");
        assertThat(model.authorizations()).containsOnly("Bearer test-key");

        JsonNode steps = state.steps();
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).get("reasoning").asText()).isEqualTo("Filling the login form");
        assertThat(steps.get(0).get("actions")).hasSize(3);
        assertThat(steps.get(0).get("urlAfter").asText()).contains("/agent-home.html");
        assertThat(steps.get(0).has("screenshotArtifactId")).isTrue();
        assertThat(hooks.artifacts).extracting(a -> a.kind()).containsOnly("step-screenshot");
        JsonNode usage = state.progressJson().get("usage");
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(usage.get("prompt_tokens").asLong()
                + usage.get("completion_tokens").asLong());
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo(ModelInfo.rounded(mini.cost(
                usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong())));
    }

    @Test
    void multiPageForm_isFilledStepByStep_andTheReplayReachesTheSamePage() throws Exception {
        var p = parse("{\"taskDetails\":\"Sign up Ada Lovelace (ada@example.com) for the Pro plan\","
                + "\"startingUrl\":\"" + browser.url("/wizard-1.html") + "\"}");
        model.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Full name")
                                + ",\"text\":\"Ada Lovelace\"}"),
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Email")
                                + ",\"text\":\"ada@example.com\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Next") + "}"),
                        Call.of("click", "{\"index\":99}")))
                .then(r -> Reply.tools(
                        Call.of("select", "{\"index\":" + ScriptedModelServer.index(r, "Plan")
                                + ",\"option\":\"Pro\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "I accept the terms") + "}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Next") + "}")))
                .then(r -> Reply.tool("done", "{\"message\":\"Signed up\"}"));
        Page page = browser.newPage();
        AgentState state = AgentState.fresh();

        assertThat(loop(p, openAi(), mini).run(page, state).completed()).isTrue();
        assertThat(page.locator("#result").textContent()).isEqualTo("Thank you, Ada Lovelace!");
        // the click after the page changed was skipped, and the model was told
        assertThat(ScriptedModelServer.toolResults(model.requests().get(1)).get(3)).startsWith("skipped");

        Page fresh = browser.newPage();
        DirectActionRunner replayer = new DirectActionRunner();
        for (JsonNode a : state.replay()) {
            replayer.run(fresh, dev.tabrunner.action.TaskRequestParser.parse(Json.mapper().createObjectNode()
                    .set("actions", Json.mapper().createArrayNode().add(a))).actions().get(0));
        }
        assertThat(fresh.url()).isEqualTo(page.url());
        assertThat(fresh.locator("body").innerText()).isEqualTo(page.locator("body").innerText());
    }

    @Test
    void extraction_withOutputSchema_isCorrectedOnce_thenValid() throws Exception {
        var p = parse("{\"taskDetails\":\"List the keyboards and prices\",\"startingUrl\":\""
                + browser.url("/products.html") + "\",\"outputSchema\":{\"type\":\"object\",\"required\":"
                + "[\"products\"],\"properties\":{\"products\":{\"type\":\"array\",\"items\":{\"$ref\":"
                + "\"#/$defs/product\"}}},\"$defs\":{\"product\":{\"type\":\"object\",\"required\":[\"name\","
                + "\"price\"],\"properties\":{\"name\":{\"type\":\"string\"},\"price\":{\"type\":\"number\"}}}}}}");
        model.then(Reply.tool("extract", "{\"selector\":\"#products\",\"name\":\"table\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.toolResults(r).get(0)).contains("Wireless keyboard");
                    // the caller's $defs moved to the root of done's parameters
                    assertThat(r.at("/tools").toString()).contains("\"$defs\"");
                    return Reply.tool("done", "{\"message\":\"3 keyboards\",\"output\":{\"products\":"
                            + "[{\"name\":\"Wireless keyboard\",\"price\":\"$49.99\"}]}}");
                })
                .then(r -> {
                    assertThat(ScriptedModelServer.toolResults(r).get(1)).contains("does not match");
                    return Reply.tool("done", "{\"message\":\"3 keyboards\",\"output\":{\"products\":["
                            + "{\"name\":\"Wireless keyboard\",\"price\":49.99},{\"name\":\"Mechanical keyboard\","
                            + "\"price\":89.0},{\"name\":\"Travel keyboard\",\"price\":29.5}]}}");
                });
        AgentState state = AgentState.fresh();
        assertThat(loop(p, openAi(), mini).run(browser.newPage(), state).completed()).isTrue();
        assertThat(state.output().at("/products/2/price").asDouble()).isEqualTo(29.5);
        assertThat(state.replay().toString()).contains("\"type\":\"evaluate\"");
    }

    @Test
    void invalidOutput_failsAfterTheBoundedCorrections() throws Exception {
        var p = parse("{\"taskDetails\":\"x\",\"startingUrl\":\"" + browser.url("/products.html")
                + "\",\"outputSchema\":{\"type\":\"object\",\"required\":[\"n\"]}}");
        model.otherwise(r -> Reply.tool("done", "{\"message\":\"m\",\"output\":{}}"));
        AgentOutcome o = loop(p, openAi(), mini).run(browser.newPage(), AgentState.fresh());
        assertThat(o.completed()).isFalse();
        assertThat(o.error().code()).isEqualTo("invalid_output");
        assertThat(model.requests()).hasSize(AgentSettings.DEFAULTS.maxCorrections() + 1);
    }

    @Test
    void stepLimit_endsTheTask() throws Exception {
        var p = parse("{\"taskDetails\":\"scroll forever\",\"maxSteps\":3,\"startingUrl\":\""
                + browser.url("/long.html") + "\"}");
        model.otherwise(r -> Reply.tool("scroll", "{\"direction\":\"down\"}"));
        AgentState state = AgentState.fresh();
        AgentOutcome o = loop(p, openAi(), mini).run(browser.newPage(), state);
        assertThat(o.error().code()).isEqualTo("step_limit");
        assertThat(model.requests()).hasSize(3);
        assertThat(state.stepsTaken()).isEqualTo(3);
        assertThat(hooks.checkpoints).hasSize(3);
    }

    @Test
    void finalScreenshot_whenAsked_isTakenAsTheRunEnds_completedOrFailed() throws Exception {
        var done = parse("{\"taskDetails\":\"look\",\"startingUrl\":\"" + browser.url("/long.html") + "\"}");
        model.then(Reply.tool("done", "{\"message\":\"seen\"}"));
        AgentTaskRequest full = done.request().withArtifacts(new AgentArtifacts(null,
                new AgentArtifacts.FinalScreenshot(true)));
        AgentOutcome completed = loop(new AgentTaskRequestParser.Parsed(full, done.secrets()), openAi(), mini)
                .run(browser.newPage(), AgentState.fresh());

        assertThat(completed.completed()).isTrue();
        assertThat(hooks.artifacts).extracting(a -> a.kind()).containsExactly("step-screenshot",
                AgentArtifacts.FINAL_SCREENSHOT_KIND);
        Artifact shot = hooks.artifacts.get(1);
        assertThat(shot.filename()).isEqualTo(AgentArtifacts.FINAL_SCREENSHOT_NAME);
        assertThat(shot.contentType()).isEqualTo("image/png");
        int fullHeight = pngHeight(hooks.bytes.get(shot.id()));

        hooks.artifacts.clear();
        var limited = parse("{\"taskDetails\":\"look\",\"maxSteps\":1,\"startingUrl\":\""
                + browser.url("/long.html") + "\"}");
        model.then(Reply.tool("scroll", "{\"direction\":\"down\"}"));
        AgentTaskRequest viewport = limited.request().withArtifacts(new AgentArtifacts(null,
                new AgentArtifacts.FinalScreenshot(false)));
        AgentOutcome failed = loop(new AgentTaskRequestParser.Parsed(viewport, limited.secrets()), openAi(), mini)
                .run(browser.newPage(), AgentState.fresh());

        assertThat(failed.error().code()).isEqualTo("step_limit");
        assertThat(hooks.artifacts).extracting(a -> a.kind()).containsExactly("step-screenshot",
                AgentArtifacts.FINAL_SCREENSHOT_KIND);
        assertThat(pngHeight(hooks.bytes.get(hooks.artifacts.get(1).id()))).isLessThan(fullHeight);
    }

    @Test
    void noFinalScreenshot_unlessAsked() throws Exception {
        var p = parse("{\"taskDetails\":\"look\",\"startingUrl\":\"" + browser.url("/long.html") + "\"}");
        model.then(Reply.tool("done", "{\"message\":\"seen\"}"));

        loop(p, openAi(), mini).run(browser.newPage(), AgentState.fresh());

        assertThat(hooks.artifacts).extracting(a -> a.kind()).containsOnly("step-screenshot");
    }

    private static int pngHeight(byte[] png) {
        return ((png[20] & 0xFF) << 24) | ((png[21] & 0xFF) << 16) | ((png[22] & 0xFF) << 8) | (png[23] & 0xFF);
    }

    @Test
    void inputTokenLimit_failsTheTask_outputLimitTruncatesIt() throws Exception {
        var p = parse("{\"taskDetails\":\"x\",\"maxInputTokens\":5000,\"startingUrl\":\""
                + browser.url("/products.html") + "\"}");
        model.then(Reply.tool("scroll", "{\"direction\":\"down\"}").withUsage(4000, 5),
                Reply.tool("scroll", "{\"direction\":\"down\"}").withUsage(4000, 5));
        AgentOutcome o = loop(p, openAi(), mini).run(browser.newPage(), AgentState.fresh());
        assertThat(o.completed()).isFalse();
        assertThat(o.error().code()).isEqualTo("max_input_tokens");

        model.reset();
        var q = parse("{\"taskDetails\":\"x\",\"maxOutputTokens\":50,\"startingUrl\":\""
                + browser.url("/products.html") + "\"}");
        model.then(r -> {
            assertThat(r.get("max_tokens").asInt()).isEqualTo(50);
            return Reply.tool("scroll", "{\"direction\":\"down\"}").withContent("Looking at the list").withUsage(100,
                    20);
        }).then(r -> {
            assertThat(r.get("max_tokens").asInt()).isEqualTo(30);
            return Reply.tool("done", "{\"message\":\"The cheapest is the Trav").withContent("The cheapest is")
                    .withFinishReason("length").withUsage(100, 30);
        });
        AgentState state = AgentState.fresh();
        AgentOutcome cut = loop(q, openAi(), mini).run(browser.newPage(), state);
        assertThat(cut.completed()).isTrue();
        assertThat(state.truncated()).isTrue();
        assertThat(state.message()).startsWith("The cheapest is").contains("truncated");
        assertThat(state.completionTokens()).isEqualTo(50);
    }

    @Test
    void askHuman_letsGo_thenResumesOnAFreshPageFromTheCheckpoint() throws Exception {
        var p = parse("{\"taskDetails\":\"Confirm the order with the shipping the user wants\",\"startingUrl\":\""
                + browser.url("/shipping.html") + "\"}");
        model.then(Reply.tool("ask_human", "{\"question\":\"Standard or express shipping?\"}"));
        AgentState state = AgentState.fresh();
        assertThatThrownBy(() -> loop(p, openAi(), mini).run(browser.newPage(), state))
                .isInstanceOf(RecordingHooks.WaitingForPerson.class);
        assertThat(state.pendingQuestion()).isEqualTo("Standard or express shipping?");
        assertThat(state.progressJson().get("question").asText()).isEqualTo("Standard or express shipping?");

        // another worker: the state comes back from JSON, the page is new (the session's URL reopened)
        AgentState resumed = AgentState.restore(Json.mapper().readTree(state.checkpointJson().toString()),
                Json.mapper().readTree(state.progressJson().toString()));
        hooks.answer = "Express, please";
        model.then(r -> {
            assertThat(ScriptedModelServer.toolResults(r)).contains("The user answered: Express, please");
            return Reply.tools(Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Express") + "}"),
                    Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Confirm order") + "}"));
        }).then(Reply.tool("done", "{\"message\":\"Ordered with express shipping\"}"));
        Page page = browser.newPage();
        page.navigate(browser.url("/shipping.html"));
        AgentOutcome o = loop(p, openAi(), mini).run(page, resumed);
        assertThat(o.completed()).isTrue();
        assertThat(page.locator("#done").textContent()).isEqualTo("Order confirmed with express shipping");
        assertThat(resumed.pendingQuestion()).isNull();
        assertThat(resumed.steps().get(0).get("answer").asText()).isEqualTo("Express, please");
        assertThat(resumed.stepsTaken()).isEqualTo(3);
    }

    @Test
    void badToolCalls_areReportedToTheModel_whichRecovers() throws Exception {
        var p = parse("{\"taskDetails\":\"x\",\"startingUrl\":\"" + browser.url("/index.html") + "\"}");
        model.then(Reply.tools(Call.of("click", "{\"index\":4242}")),
                Reply.tools(Call.of("navigate", "{\"url\":\"file:///etc/passwd\"}")),
                Reply.tools(Call.of("teleport", "{}")),
                Reply.tools(Call.of("click", "{\"index\":"), Call.of("click", "{\"selector\":\"#to-form\"}")))
                .then(r -> {
                    // step 1 has left the verbatim memory by now: its summary line carries the error
                    assertThat(r.at("/messages/1/content").asText()).contains("Earlier steps")
                            .contains("no element has index 4242");
                    return Reply.text("I think I am done");
                })
                .then(r -> Reply.tool("done", "{\"message\":\"on the form\"}"));
        AgentState state = AgentState.fresh();
        AgentOutcome o = loop(p, openAi(), mini).run(browser.newPage(), state);
        assertThat(o.completed()).as(String.valueOf(o.error())).isTrue();
        String all = model.everythingSent();
        assertThat(all).contains("only absolute http(s) URLs").contains("no tool named 'teleport'")
                .contains("not a JSON object").contains("You must act by calling a tool");
    }

    @Test
    void bedrock_drivesTheSameLoop() throws Exception {
        SubstituteBedrockRuntimeClient bedrock = new SubstituteBedrockRuntimeClient();
        bedrock.reply(r -> {
            String page = r.messages().get(r.messages().size() - 1).content().stream()
                    .filter(b -> b.text() != null && b.text().contains("Interactive elements")).findFirst()
                    .orElseThrow().text();
            int index = Integer.parseInt(page.replaceAll("(?s).*\\[(\\d+)] <a> \"Form\".*", "$1"));
            return SubstituteBedrockRuntimeClient.toolUse("tu_1", "click", Map.of("index",
                    Document.fromNumber(index)), "opening the form", 1500, 30);
        }).reply(SubstituteBedrockRuntimeClient.toolUse("tu_2", "done", Map.of("message",
                Document.fromString("the form is open")), null, 1700, 20));
        ModelInfo claude = ModelCatalog.BUILT_IN.find("claude-sonnet-4-20250514").orElseThrow();
        var p = parse("{\"taskDetails\":\"open the form\",\"startingUrl\":\"" + browser.url("/index.html") + "\"}");
        AgentState state = AgentState.fresh();
        Page page = browser.newPage();
        AgentOutcome o = new AgentLoop(p.request(), p.secrets(), new BedrockConverseLanguageModel(bedrock), claude,
                "us.anthropic.claude-sonnet-4-20250514-v1:0", runner, hooks, Clock.systemUTC(),
                AgentSettings.DEFAULTS).run(page, state);
        assertThat(o.completed()).isTrue();
        assertThat(page.url()).endsWith("/form.html");
        assertThat(bedrock.requests().get(0).modelId()).isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
        // Claude takes images: the step screenshot went along
        assertThat(bedrock.requests().get(0).messages().get(0).content()).anySatisfy(b ->
                assertThat(b.image()).isNotNull());
        assertThat(state.progressJson().at("/usage/cost").decimalValue())
                .isEqualByComparingTo(ModelInfo.rounded(claude.cost(3200, 50)));
    }
}
