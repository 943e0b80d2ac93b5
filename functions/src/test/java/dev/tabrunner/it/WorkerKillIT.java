package dev.tabrunner.it;

import dev.tabrunner.testing.Async;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker that dies while it holds a task: the whole server process (API, worker, Chromium) is killed with
 * SIGKILL in the middle of a task; a server started again on the same data finds the task with an expired lease
 * and resumes it from its checkpoint, or fails it with a reason when its attempts are spent.
 */
class WorkerKillIT {
    private static final TestSystem FIXTURES = TestSystem.get();
    private static final String STEP = "{\"type\":\"evaluate\",\"script\":"
            + "\"new Promise(r => setTimeout(() => r(location.pathname), 500))\"}";

    private static Map<String, String> env(Path data, String maxAttempts) {
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_DATA_DIR", data.toString());
        env.put("TABRUNNER_PORT", "-1");
        env.put("TABRUNNER_ADMIN_KEY", TestSystem.ADMIN_KEY);
        env.put("TABRUNNER_EGRESS_ALLOW", "127.0.0.1");
        env.put("TABRUNNER_LEASE_MS", "3000");
        env.put("TABRUNNER_RECOVERY_INTERVAL_MS", "1000");
        env.put("TABRUNNER_MAX_ATTEMPTS", maxAttempts);
        return env;
    }

    /** Starts a server in a child JVM and returns it with its base URL. */
    private static Map.Entry<Process, String> child(Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), LocalServer.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("Tabrunner is running at ")) {
                String base = line.substring("Tabrunner is running at ".length()).trim();
                // keep draining its output so that it never blocks on a full pipe
                Async.run(() -> out.lines().forEach(l -> { }));
                return Map.entry(p, base);
            }
        }
        throw new AssertionError("the child server did not start");
    }

    private static void killHard(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** Submits a slow task to the child, waits until it has done some actions, then kills the child. */
    private static String startTaskAndKill(Path data, String maxAttempts, String[] session) throws Exception {
        var child = child(env(data, maxAttempts));
        try {
            return startTaskAndKill(child, session);
        } catch (Throwable t) {
            // never leave a server JVM (and its Chromium) running behind a failed test
            killHard(child.getKey());
            throw t;
        }
    }

    private static String startTaskAndKill(Map.Entry<Process, String> child, String[] session) throws Exception {
        Api api = new Api(child.getValue(), TestSystem.ADMIN_KEY);
        String s = api.post("/browser/sessions", "{}").json().get("id").asText();
        session[0] = s;
        String body = "{\"url\":\"" + FIXTURES.url("/form.html") + "\",\"actions\":["
                + String.join(",", Collections.nCopies(8, STEP)) + "]}";
        Async.run(() -> {
            try {
                api.runTask(s, body);
            } catch (AssertionError expected) {
                // the server dies under this request
            }
        });
        String taskId = null;
        for (int i = 0; i < 200; i++) {
            JsonNode tasks = api.get("/browser/sessions/" + s + "/tasks").json().get("tasks");
            if (!tasks.isEmpty() && tasks.get(0).get("results").size() >= 2) {
                taskId = tasks.get(0).get("taskId").asText();
                break;
            }
            Thread.sleep(50);
        }
        assertThat(taskId).as("the task never got going").isNotNull();
        killHard(child.getKey());
        return taskId;
    }

    private static JsonNode awaitEnd(Api api, String session, String taskId) throws InterruptedException {
        JsonNode t = null;
        for (int i = 0; i < 300; i++) {
            t = api.get("/browser/sessions/" + session + "/tasks/" + taskId).json();
            if (List.of("task_completed", "failed", "stopped").contains(t.get("status").asText())) {
                return t;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task never ended: " + t);
    }

    @Test
    void killedMidTask_isResumedFromItsCheckpoint_byTheNextServer() throws Exception {
        Path data = TestSystem.tempDir();
        String[] session = new String[1];
        String taskId = startTaskAndKill(data, "3", session);
        try (LocalServer next = LocalServer.start(env(data, "3"))) {
            Api api = new Api(next.baseUrl(), TestSystem.ADMIN_KEY);
            JsonNode before = api.get("/browser/sessions/" + session[0] + "/tasks/" + taskId).json();
            assertThat(before.get("status").asText()).isEqualTo("running");
            int doneBeforeKill = before.get("results").size();
            assertThat(doneBeforeKill).isBetween(2, 7);

            JsonNode end = awaitEnd(api, session[0], taskId);
            assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("task_completed");
            assertThat(end.get("results")).hasSize(8);
            // resumed on the checkpoint's page, not from scratch
            for (JsonNode r : end.get("results")) {
                assertThat(r.get("value").asText()).isEqualTo("/form.html");
            }
        }
    }

    @Test
    void killedMidTask_withNoAttemptsLeft_failsWithAReason() throws Exception {
        Path data = TestSystem.tempDir();
        String[] session = new String[1];
        String taskId = startTaskAndKill(data, "1", session);
        try (LocalServer next = LocalServer.start(env(data, "1"))) {
            Api api = new Api(next.baseUrl(), TestSystem.ADMIN_KEY);
            JsonNode end = awaitEnd(api, session[0], taskId);
            assertThat(end.get("status").asText()).isEqualTo("failed");
            assertThat(end.at("/error/code").asText()).isEqualTo("worker_lost");
            // the session is free again for the next task
            var next2 = api.runTask(session[0], "{\"url\":\"" + FIXTURES.url("/index.html") + "\"}");
            assertThat(next2.status()).as(next2.body()).isEqualTo(201);
        }
    }
}
