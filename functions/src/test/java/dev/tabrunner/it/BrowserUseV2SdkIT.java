package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser-use v2 API proven with a client nobody here wrote: the official TypeScript SDK
 * ({@code browser-use-sdk}, pinned in {@code src/test/js/browser-use-v2/package.json} and installed with
 * {@code npm ci} from its lock file) runs {@code sdk-proof.mjs} against the local server, with real Chromium, the
 * fixture site on loopback and a scripted model that answers by a marker in each task's text. Its browsers are
 * driven over their {@code cdpUrl} by Puppeteer. Any SDK call that fails fails this test.
 */
class BrowserUseV2SdkIT {
    private static final Path PROJECT = Path.of("src", "test", "js", "browser-use-v2");
    private static final Path WORK = Path.of("target", "browser-use-v2-sdk");
    private static final int MAX_SESSIONS = 4;
    private static final Pattern VIEWPORT = Pattern.compile("Viewport is (\\d+x\\d+)");
    private static final Pattern COOKIES = Pattern.compile("Cookies: [^\\n]*");
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    private static LocalServer server;

    @BeforeAll
    static void start() {
        Map<String, String> env = TestSystem.scriptedModel(model);
        env.put("TABRUNNER_TENANT_MAX_SESSIONS", Integer.toString(MAX_SESSIONS));
        server = TestSystem.startServer(TestSystem.tempDir(), env);
        model.otherwise(BrowserUseV2SdkIT::answer);
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
        site.close();
    }

    /** How many turns the agent has had: the assistant messages the request carries. */
    private static int turn(JsonNode request) {
        int n = 0;
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("assistant")) {
                n++;
            }
        }
        return n;
    }

    private static Reply done(String message, String output) {
        return Reply.tool("done", "{\"message\":\"" + message + "\"" + (output == null ? "" : ",\"output\":"
                + output) + "}");
    }

    /** The script: what the model answers, by the marker in the task (its first user message). */
    private static Reply answer(JsonNode request) {
        String all = request.path("messages").toString();
        int turn = turn(request);
        String page = ScriptedModelServer.lastUserText(request);
        if (all.contains("[[structured]]")) {
            if (turn == 0) {
                return Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}");
            }
            Matcher m = VIEWPORT.matcher(page);
            return done("read it", m.find() ? "{\"size\":\"" + m.group(1) + "\"}" : "{\"size\":\"unknown\"}");
        }
        if (all.contains("[[remember]]")) {
            return turn == 0 ? Reply.tool("navigate", "{\"url\":\"" + site.url("/remember-me.html") + "\"}")
                    : done("remembered", null);
        }
        if (all.contains("[[recall]]")) {
            if (turn == 0) {
                return Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}");
            }
            Matcher m = COOKIES.matcher(page);
            return done(m.find() ? m.group().trim() : "no cookie line", null);
        }
        if (all.contains("[[file]]")) {
            return done(all.contains("notes.txt") ? "has notes.txt" : "no file", null);
        }
        if (all.contains("[[slow]]")) {
            return Reply.tool("wait", "{\"seconds\":1}").delayed(300);
        }
        if (all.contains("[[fail]]")) {
            return Reply.error(400, "the scripted model refuses this task");
        }
        return done("ok", null);
    }

    @Test
    void theOfficialSdk_runsEveryV2CallItUses_againstThisServer() throws Exception {
        String key = TestSystem.newTenant(server).key;
        String keyFull = TestSystem.newTenant(server).key;
        String keyBrowser = TestSystem.newTenant(server).key;
        Path cdpClient = Path.of("target", "cdp-client").toAbsolutePath();
        assertThat(cdpClient.resolve("node_modules/puppeteer-core")).as("npm ci of src/test/node/cdp-client runs"
                + " before the ITs").exists();
        install();

        Result run = run(List.of("node", "sdk-proof.mjs"), Map.of("TABRUNNER_URL", server.baseUrl(),
                "SITE", site.url("").replaceAll("/$", ""), "KEY", key, "KEY_FULL", keyFull,
                "MAX_SESSIONS", Integer.toString(MAX_SESSIONS), "KEY_BROWSER", keyBrowser,
                "CDP_CLIENT", cdpClient.toString()), 240);

        System.out.println(run.output());
        assertThat(run.output()).doesNotContain("not ok").containsPattern("(?m)^\\d+ passed, 0 failed$");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(model.scriptFailures()).isEmpty();
    }

    /** The SDK project, copied out of the sources and installed from its lock file. */
    private static void install() throws Exception {
        Files.createDirectories(WORK);
        for (String name : List.of("package.json", "package-lock.json", "sdk-proof.mjs")) {
            Files.copy(PROJECT.resolve(name), WORK.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
        assertThat(ci.exitCode()).as("npm ci: " + ci.output()).isZero();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(WORK.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("sdk-proof", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + Files.readString(log,
                    StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
