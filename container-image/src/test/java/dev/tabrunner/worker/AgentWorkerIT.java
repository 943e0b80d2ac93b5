package dev.tabrunner.worker;

import dev.tabrunner.testing.Async;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.adapter.LanguageModelClients;
import dev.tabrunner.adapter.dynamodb.DynamoDbCredentialStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbFileStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbSessionStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.adapter.dynamodb.DynamoDbTaskStore;
import dev.tabrunner.adapter.local.EncryptedFileVault;
import dev.tabrunner.adapter.local.InProcessLiveView;
import dev.tabrunner.adapter.local.InProcessTaskCompletions;
import dev.tabrunner.adapter.local.LocalDirectoryBlobStore;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.WorkerEnvironment;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker running natural-language tasks with the browser-use v1 options it implements itself: a live view for
 * the whole run and saving into browser profiles. Real Chromium against fixture pages on loopback, DynamoDB Local,
 * and a scripted model speaking OpenAI's protocol on loopback.
 */
class AgentWorkerIT {
    private static final String TENANT = "acme";
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    private static final InProcessLiveView liveView = new InProcessLiveView();
    private static DynamoDbSessionStore sessions;
    private static DynamoDbTaskStore tasks;
    private static LocalDirectoryBlobStore blobs;
    private static TaskWorker worker;

    @BeforeAll
    static void start() throws Exception {
        DynamoDbTables tables = new DynamoDbTables("agentworker-" + UUID.randomUUID().toString().substring(0, 8)
                + "-");
        var dynamo = DynamoDbLocalFixture.client();
        tables.createMissing(dynamo);
        Path data = Files.createTempDirectory("agent-worker-it");
        blobs = new LocalDirectoryBlobStore(data.resolve("blobs"));
        sessions = new DynamoDbSessionStore(dynamo, tables);
        tasks = new DynamoDbTaskStore(dynamo, tables, blobs);
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        Map<String, String> settings = Map.of(
                "TABRUNNER_LLM_BASE_URL", model.baseUrl(),
                "TABRUNNER_LLM_API_KEY", "sk-scripted",
                "TABRUNNER_LLM_MODEL", "gpt-4o-mini",
                "TABRUNNER_LLM_MAX_ATTEMPTS", "1",
                "TABRUNNER_EGRESS_ALLOW", "127.0.0.1",
                "TABRUNNER_CHROMIUM_PATH", System.getenv().getOrDefault("TABRUNNER_CHROMIUM_PATH",
                        "/usr/bin/chromium"));
        EncryptedFileVault vault = new EncryptedFileVault(data.resolve("vault"), key);
        worker = new TaskWorker(new WorkerEnvironment(sessions, tasks,
                new DynamoDbFileStore(dynamo, tables.files()), blobs,
                new DynamoDbCredentialStore(dynamo, tables.credentials()),
                vault, liveView, new InProcessTaskCompletions(),
                task -> { }, new LanguageModelClients(LanguageModelSettings.from(settings), vault), Clock.systemUTC(),
                settings));
    }

    @AfterAll
    static void stop() {
        worker.close();
        model.close();
        site.close();
    }

    @AfterEach
    void scriptHeld() {
        try {
            assertThat(model.scriptFailures()).isEmpty();
            assertThat(model.unexpectedCalls()).isZero();
        } finally {
            model.reset();
        }
    }

    private static Session newSession(String stateKey) {
        Instant now = Instant.now();
        Session s = new Session(UUID.randomUUID().toString(), TENANT, SessionStatus.ACTIVE, now, now,
                SessionOptions.defaults(), null, stateKey, null, null, 0);
        sessions.create(s);
        return s;
    }

    private static TaskRecord newTask(Session session, String body, BrowserProfile profile, boolean live)
            throws Exception {
        var request = AgentTaskRequestParser.parse(Json.mapper().readTree(body)).request()
                .with(BrowsingOptions.NONE, profile, live);
        TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), TENANT, session.id(),
                TaskRecord.KIND_AGENT, request.toJson(), Instant.now());
        tasks.create(task);
        return task;
    }

    private static TaskRecord stored(TaskRecord task) {
        return tasks.find(TENANT, task.id()).orElseThrow();
    }

    private static TaskRecord awaitTask(TaskRecord task, java.util.function.Predicate<TaskRecord> condition)
            throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            TaskRecord t = stored(task);
            if (condition.test(t)) {
                return t;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + task.id() + " never got there: " + stored(task));
    }

    private static String json(String key) {
        return blobs.get(key).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void liveView_isOpenWhileTheAgentRuns_showsItsPage_takesAPersonsInput_andClosesAtTheEnd() throws Exception {
        Session session = newSession(null);
        AtomicReference<byte[]> firstFrame = new AtomicReference<>();
        // step 1 thinks for a while, long enough for a person to type into the page through the live view
        model.then(r -> Reply.tool("click", "{\"index\":" + ScriptedModelServer.index(r, "Go") + "}")
                        .delayed(2500))
                .then(r -> {
                    // the person's typing was applied between the steps, and the agent sees it
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Agent clicked")
                            .contains("typed by a person");
                    return Reply.tool("done", "{\"message\":\"saw it\"}").delayed(300);
                });
        TaskRecord task = newTask(session, "{\"taskDetails\":\"Press Go\",\"startingUrl\":\""
                + site.url("/live.html") + "\"}", null, true);

        CompletableFuture<Void> run = Async.run(() -> worker.execute(task.id(), null));
        TaskRecord running = awaitTask(task, t -> t.liveViewUrl() != null);
        String url = running.liveViewUrl();
        assertThat(url).startsWith("/live/" + task.id() + "?token=");
        String token = url.substring(url.indexOf("?token=") + 7);
        assertThat(liveView.authorize(task.id(), token, Instant.now())).isTrue();
        for (int i = 0; i < 100 && liveView.latestFrame(task.id()).isEmpty(); i++) {
            Thread.sleep(50);
        }
        byte[] frame = liveView.latestFrame(task.id()).orElseThrow();
        assertThat(frame[0] & 0xff).isEqualTo(0xFF);
        assertThat(frame[1] & 0xff).isEqualTo(0xD8);
        firstFrame.set(frame);
        // into the note field (100..400, 100..130) while the model still thinks
        liveView.sendInput(task.id(), Json.mapper().readTree("{\"type\":\"click\",\"x\":150,\"y\":115}"));
        liveView.sendInput(task.id(), Json.mapper().readTree("{\"type\":\"text\",\"text\":\"typed by a person\"}"));

        awaitTask(task, t -> t.agent() != null && t.agent().path("steps").size() >= 1);
        // after the step the viewer sees the page the agent and the person changed
        assertThat(stored(task).liveViewUrl()).isEqualTo(url);
        assertThat(liveView.latestFrame(task.id()).orElseThrow()).isNotEqualTo(firstFrame.get());

        run.get(30, TimeUnit.SECONDS);
        TaskRecord done = stored(task);
        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(done.liveViewUrl()).isNull();
        assertThat(liveView.authorize(task.id(), token, Instant.now())).isFalse();
        assertThat(liveView.latestFrame(task.id())).isEmpty();
    }

    @Test
    void promptUserInsideALiveRun_usesTheRunsView_whichStaysOpenAfterTheLogin() throws Exception {
        Session session = newSession(null);
        TaskRecord task = newTask(session, "{\"taskDetails\":\"Log in\",\"startingUrl\":\""
                + site.url("/live-login.html") + "\"}", null, true);
        AtomicReference<String> viewUrl = new AtomicReference<>();
        model.then(Reply.tool("authenticate", "{\"credentialId\":\"" + UUID.randomUUID()
                        + "\",\"mode\":\"prompt_user\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Welcome, ada");
                    // the login's end did not close the run's view: same URL, token still good
                    assertThat(stored(task).liveViewUrl()).isEqualTo(viewUrl.get());
                    assertThat(liveView.access(task.id(), token(viewUrl.get()), Instant.now()).orElseThrow()
                            .asking()).as("nothing asked of the person any more").isFalse();
                    return Reply.tool("done", "{\"message\":\"logged in\"}");
                });

        CompletableFuture<Void> run = Async.run(() -> worker.execute(task.id(), null));
        viewUrl.set(awaitTask(task, t -> t.liveViewUrl() != null).liveViewUrl());
        // the run's view asks its person to act once the login waits
        for (int i = 0; i < 200 && !liveView.access(task.id(), token(viewUrl.get()), Instant.now())
                .map(LiveView.Access::asking).orElse(false); i++) {
            Thread.sleep(50);
        }
        assertThat(liveView.access(task.id(), token(viewUrl.get()), Instant.now()).orElseThrow().asking()).isTrue();
        // the person logs in on the view they already watch (the prompt drains what they send)
        for (String event : List.of("{\"type\":\"click\",\"x\":120,\"y\":35}",
                "{\"type\":\"text\",\"text\":\"ada\"}", "{\"type\":\"click\",\"x\":120,\"y\":85}",
                "{\"type\":\"text\",\"text\":\"pw\"}", "{\"type\":\"click\",\"x\":120,\"y\":135}")) {
            liveView.sendInput(task.id(), Json.mapper().readTree(event));
        }
        run.get(30, TimeUnit.SECONDS);
        TaskRecord done = stored(task);
        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(done.agent().at("/steps/0/actions/0/result").asText()).contains("user_completed");
        assertThat(done.liveViewUrl()).isNull();
        assertThat(liveView.authorize(task.id(), token(viewUrl.get()), Instant.now())).isFalse();
    }

    private static String token(String url) {
        return url.substring(url.indexOf("?token=") + 7);
    }

    @Test
    void everyRunHasAView_whichPaintsOnlyOnceSomeoneWatches() throws Exception {
        Session session = newSession(null);
        model.then(r -> Reply.tool("done", "{\"message\":\"ok\"}").delayed(3000));
        TaskRecord task = newTask(session, "{\"taskDetails\":\"Look\",\"startingUrl\":\""
                + site.url("/live.html") + "\"}", null, false);
        CompletableFuture<Void> run = Async.run(() -> worker.execute(task.id(), null));
        TaskRecord running = awaitTask(task, t -> t.status() == TaskStatus.RUNNING);
        String url = running.liveViewUrl();
        assertThat(url).as("the claim records the view").startsWith("/live/" + task.id() + "?token=");
        assertThat(liveView.authorize(task.id(), token(url), Instant.now())).isTrue();
        Thread.sleep(600);
        assertThat(liveView.latestFrame(task.id())).as("nobody watched: nothing painted").isEmpty();
        // that read was a viewer's: while the model still thinks, the page's screencast starts for it
        for (int i = 0; i < 40 && liveView.latestFrame(task.id()).isEmpty(); i++) {
            Thread.sleep(50);
        }
        byte[] frame = liveView.latestFrame(task.id()).orElseThrow();
        assertThat(frame[0] & 0xff).isEqualTo(0xFF);
        assertThat(frame[1] & 0xff).isEqualTo(0xD8);
        run.get(30, TimeUnit.SECONDS);
        TaskRecord done = stored(task);
        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(done.liveViewUrl()).isNull();
        assertThat(liveView.authorize(task.id(), token(url), Instant.now())).as("closed with the run").isFalse();
    }

    @Test
    void profile_savedWhenTheTaskEnds_isWhatTheNextTaskStartsFrom() throws Exception {
        String profileId = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        String profileKey = BrowserProfile.stateKey(TENANT, profileId);

        // a task that finishes saves its browser into the profile
        model.then(r -> {
            assertThat(ScriptedModelServer.lastUserText(r)).contains("visited=ada");
            return Reply.tool("done", "{\"message\":\"visited\"}");
        });
        TaskRecord first = newTask(newSession(null), "{\"taskDetails\":\"Visit\",\"startingUrl\":\""
                + site.url("/cookie.html?name=visited&value=ada&store=first") + "\"}",
                new BrowserProfile(profileId, true), false);
        worker.execute(first.id(), null);
        assertThat(stored(first).status()).isEqualTo(TaskStatus.FINISHED);
        JsonNode state = Json.mapper().readTree(json(profileKey));
        assertThat(state.get("cookies").findValuesAsText("name")).containsExactly("visited");
        assertThat(state.toString()).contains("\"last\"").contains("\"first\"");
        JsonNode data = Json.mapper().readTree(json(BrowserProfile.taskDataKey(TENANT, first.id())));
        assertThat(data.fieldNames()).toIterable().containsExactly("cookies");
        assertThat(data.at("/cookies/0/name").asText()).isEqualTo("visited");
        assertThat(data.at("/cookies/0/value").asText()).isEqualTo("ada");

        // a task whose session starts from the profile sees its cookies and storage; one that fails (step limit)
        // saves as well
        model.then(r -> {
            assertThat(ScriptedModelServer.lastUserText(r)).contains("visited=ada").contains("Stored: first")
                    .contains("second=2");
            return Reply.tools(Call.of("scroll", "{\"direction\":\"down\"}"));
        });
        TaskRecord second = newTask(newSession(profileKey), "{\"taskDetails\":\"Visit again\",\"maxSteps\":1,"
                + "\"startingUrl\":\"" + site.url("/cookie.html?name=second&value=2") + "\"}",
                new BrowserProfile(profileId, true), false);
        worker.execute(second.id(), null);
        assertThat(stored(second).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(stored(second).error().code()).isEqualTo("step_limit");
        assertThat(Json.mapper().readTree(json(profileKey)).get("cookies").findValuesAsText("name"))
                .containsExactlyInAnyOrder("visited", "second");
        assertThat(Json.mapper().readTree(json(BrowserProfile.taskDataKey(TENANT, second.id()))).get("cookies")
                .findValuesAsText("name")).containsExactlyInAnyOrder("visited", "second");

        // without save, the profile is used but left alone, and the task keeps no browser data
        model.then(r -> {
            assertThat(ScriptedModelServer.lastUserText(r)).contains("visited=ada").contains("Stored: first");
            return Reply.tool("done", "{\"message\":\"ok\"}");
        });
        TaskRecord third = newTask(newSession(profileKey), "{\"taskDetails\":\"Look\",\"startingUrl\":\""
                + site.url("/cookie.html?name=third&value=3") + "\"}", new BrowserProfile(profileId, false),
                false);
        worker.execute(third.id(), null);
        assertThat(stored(third).status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(json(BrowserProfile.taskDataKey(TENANT, third.id()))).isNull();
        assertThat(json(profileKey)).doesNotContain("third");
        assertThat(List.of(first, second, third)).allSatisfy(t -> assertThat(stored(t).liveViewUrl()).isNull());
    }
}
