package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.Async;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tenant's page must not break another tenant's task (issue 15): a server with a single worker thread, so the
 * next task runs on the very browser and driver the hostile page had. Also: a stop cuts short any action, and a
 * page whose renderer dies is {@code page_crashed}, not the browser.
 */
class TenantIsolationIT {
    private static final TestSystem FIXTURES = TestSystem.get();
    private static final String MARK = "--tabrunner-test=tenant-isolation";
    private static LocalServer server;
    private static Api operator;

    @BeforeAll
    static void start() {
        // the flag marks this server's Chromium, so that the test kills its driver and renderers, never those of the
        // other servers in this JVM
        server = TestSystem.startServer(TestSystem.tempDir(), Map.of("TABRUNNER_WORKER_CONCURRENCY", "1",
                "TABRUNNER_CHROMIUM_ARGS", MARK));
        operator = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Api tenant() {
        return TestSystem.newTenant(operator, "user");
    }

    private static String session(Api api) {
        return TestSystem.openSession(api);
    }

    private static void assertAnotherTenantsTaskSucceeds() {
        Api other = tenant();
        var next = other.runTask(session(other), "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":"
                + "[{\"type\":\"evaluate\",\"script\":\"document.title\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value").asText()).isEqualTo("Fixture index");
    }

    @Test
    void aPageSpammingAlerts_failsItsOwnTask_andTheNextTenantsTaskSucceeds() {
        Api attacker = tenant();
        for (int round = 0; round < 2; round++) {
            var r = attacker.runTask(session(attacker), "{\"url\":\"" + FIXTURES.url("/alert-spam.html") + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("too_many_dialogs");
            assertAnotherTenantsTaskSucceeds();
        }
        // the same flood from a script the caller runs, and a few dialogs a page may legitimately show
        var script = attacker.runTask(session(attacker), "{\"url\":\"" + FIXTURES.url("/index.html") + "\","
                + "\"actions\":[{\"type\":\"evaluate\",\"script\":\"for (let i = 0; i < 100000; i++) alert(i)\"}]}");
        assertThat(script.status()).as(script.body()).isEqualTo(422);
        assertThat(script.json().at("/error/code").asText()).isEqualTo("too_many_dialogs");
        var few = attacker.runTask(session(attacker), "{\"url\":\"" + FIXTURES.url("/index.html") + "\","
                + "\"actions\":[{\"type\":\"evaluate\",\"script\":\"for (let i = 0; i < 5; i++) alert(i); 'ok'\"}]}");
        assertThat(few.status()).as(few.body()).isEqualTo(201);
        assertAnotherTenantsTaskSucceeds();
    }

    @Test
    void aDeadPlaywrightDriver_isRelaunchedBeforeTheNextTask() {
        assertAnotherTenantsTaskSucceeds();
        List<ProcessHandle> browsers = ours().filter(p -> !commandLine(p).contains("--type=")).toList();
        long killed = browsers.stream().flatMap(b -> b.parent().stream())
                .filter(p -> commandLine(p).contains("run-driver")).filter(ProcessHandle::destroyForcibly).count();
        assertThat(killed).as("driver processes killed").isEqualTo(1);
        browsers.forEach(ProcessHandle::destroyForcibly);
        assertAnotherTenantsTaskSucceeds();
        assertAnotherTenantsTaskSucceeds();
    }

    @Test
    void stop_duringANeverResolvingEvaluate_endsTheTaskStoppedWithinTwoSeconds() throws Exception {
        Api api = tenant();
        String s = session(api);
        CompletableFuture<Api.Response> running = Async.supply(() -> api.runTask(s, "{\"url\":\""
                + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":\"evaluate\","
                + "\"script\":\"new Promise(() => {})\",\"timeoutMs\":60000}]}"));
        String id = null;
        for (int i = 0; i < 200 && id == null; i++) {
            JsonNode tasks = api.get("/browser/sessions/" + s + "/tasks").json().get("tasks");
            if (!tasks.isEmpty() && tasks.get(0).get("status").asText().equals("running")) {
                id = tasks.get(0).get("taskId").asText();
            }
            Thread.sleep(20);
        }
        assertThat(id).as("the task never started").isNotNull();
        // the page is open and the script is waiting
        Thread.sleep(1500);
        long t0 = System.nanoTime();
        var stop = api.post("/browser/sessions/" + s + "/tasks/" + id + "/stop", "");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(stop.json().get("status").asText()).isEqualTo("stopped");
        assertThat(tookMs).as("stop took effect within 2 s").isLessThan(2_000);
        running.get();
        JsonNode task = api.get("/browser/sessions/" + s + "/tasks/" + id).json();
        assertThat(task.get("status").asText()).isEqualTo("stopped");
        // the browser serves on: the session's next task, and another tenant's
        var next = api.runTask(s, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"location.pathname\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertAnotherTenantsTaskSucceeds();
    }

    @Test
    void aKilledRendererOrAPageOutOfMemory_isPageCrashed_andTheBrowserServesOn() throws Exception {
        Api api = tenant();
        String s = session(api);
        CompletableFuture<Api.Response> running = Async.supply(() -> api.runTask(s, "{\"url\":\""
                + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":\"wait\",\"selector\":\"#never\","
                + "\"timeoutMs\":20000}]}"));
        Thread.sleep(2500);
        long killed = ours().flatMap(ProcessHandle::descendants)
                .filter(p -> commandLine(p).contains("--type=renderer")).filter(ProcessHandle::destroyForcibly).count();
        assertThat(killed).isPositive();
        Api.Response crashed = running.get();
        assertThat(crashed.status()).as(crashed.body()).isEqualTo(503);
        assertThat(crashed.json().at("/error/code").asText()).isEqualTo("page_crashed");

        var oom = api.runTask(s, "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":"
                + "\"navigate\",\"url\":\"" + FIXTURES.url("/oom.html") + "\",\"timeoutMs\":60000}]}");
        assertThat(oom.status()).as(oom.body()).isEqualTo(503);
        assertThat(oom.json().at("/error/code").asText()).isEqualTo("page_crashed");
        assertAnotherTenantsTaskSucceeds();
    }

    /** This server's Chromium processes (the browser; its children are found from it). */
    private static java.util.stream.Stream<ProcessHandle> ours() {
        return ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(MARK)
                && !commandLine(p).contains("--type="));
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
