package dev.tabrunner.it;

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

        CompletableFuture<Api.Response> running = CompletableFuture.supplyAsync(() -> api.runTask(session,
                "{\"actions\":[{\"type\":\"wait\",\"selector\":\"#never-appears\",\"timeoutMs\":20000}]}"));
        Thread.sleep(1500);
        assertThat(killChromiumChildren()).isPositive();
        Api.Response crashed = running.get();
        assertThat(crashed.status()).as(crashed.body()).isEqualTo(503);
        assertThat(crashed.json().at("/error/code").asText()).isEqualTo("browser_unavailable");

        var next = api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"location.pathname\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value").asText()).isEqualTo("/index.html");

        // nothing of the killed browser is left: no process, no zombie, no temporary profile directory
        Thread.sleep(500);
        List<String> commandLines = ProcessHandle.current().descendants().map(BrowserCrashIT::commandLine).toList();
        assertThat(ProcessHandle.current().descendants().filter(BrowserCrashIT::isZombie).count()).isZero();
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> profiles = tmp.filter(p -> p.getFileName().toString().startsWith("playwright_chromiumdev_profile"))
                    .toList();
            for (Path profile : profiles) {
                assertThat(commandLines).as("a live browser uses " + profile)
                        .anyMatch(c -> c.contains(profile.getFileName().toString()));
            }
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
