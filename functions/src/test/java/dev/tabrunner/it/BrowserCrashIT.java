package dev.tabrunner.it;

import dev.tabrunner.testing.Async;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Chromium dying mid-task fails that task with 503; the next task on the same session gets a fresh browser. */
class BrowserCrashIT {
    private final TestSystem sys = TestSystem.get();

    private static long killChromiumChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chromium") || c.contains("chrome"))
                        .orElse(false))
                .peek(ProcessHandle::destroyForcibly)
                .count();
    }

    @Test
    void killingChromiumMidTask_is503_andTheNextTaskWorks() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        assertThat(api.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\"}").status()).isEqualTo(201);

        CompletableFuture<Api.Response> running = Async.supply(() -> api.runTask(session,
                "{\"actions\":[{\"type\":\"wait\",\"selector\":\"#never-appears\",\"timeoutMs\":20000}]}"));
        Thread.sleep(1500);
        List<String> profilesBefore = ProcessHandle.current().descendants().map(BrowserCrashIT::commandLine)
                .flatMap(c -> Stream.of(c.split("\u0000"))).filter(a -> a.startsWith("--user-data-dir="))
                .map(a -> a.substring("--user-data-dir=".length())).distinct().toList();
        assertThat(killChromiumChildren()).isPositive();
        Api.Response crashed = running.get();
        assertThat(crashed.status()).as(crashed.body()).isEqualTo(503);
        assertThat(crashed.json().at("/error/code").asText()).isEqualTo("browser_unavailable");

        var next = api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"location.pathname\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value").asText()).isEqualTo("/index.html");

        // nothing of the killed browsers is left: no process, no temporary profile directory. Each worker thread has
        // a browser of its own, and cleans up after its killed one when it next runs a task: run one on each.
        String a = sys.newSession(api);
        String b = sys.newSession(api);
        String slow = "{\"url\":\"" + sys.url("/slow?ms=700") + "\"}";
        CompletableFuture<Api.Response> first = Async.supply(() -> api.runTask(a, slow));
        CompletableFuture<Api.Response> second = Async.supply(() -> api.runTask(b, slow));
        assertThat(first.get().status()).isEqualTo(201);
        assertThat(second.get().status()).isEqualTo(201);
        // (a killed renderer may stay a zombie until its zygote reaps it; it holds nothing but its process entry)
        List<String> alive = ProcessHandle.current().descendants().filter(p -> !isZombie(p))
                .map(BrowserCrashIT::commandLine).toList();
        for (String profile : profilesBefore) {
            assertThat(alive).as("no process of the killed browser lives on").noneMatch(c -> c.contains(profile));
            assertThat(Path.of(profile)).as("the killed browser's profile directory").doesNotExist();
        }
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isZombie(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
