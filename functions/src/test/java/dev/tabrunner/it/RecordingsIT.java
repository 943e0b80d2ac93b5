package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import dev.tabrunner.domain.SecretMask;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.recording.Recordings;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task recordings (ADR 0042) through the whole system: a recorded task's rrweb events and action marks come back
 * from {@code GET .../recording}; a password typed by {@code authenticate} or into a password field appears in no
 * form in it; other tenants and unrecorded tasks get 404; the replay page plays it in a real browser.
 */
class RecordingsIT {
    private static final String VAULT_CANARY = "Rec-Canary-Pw-5c2e81";
    private static final String TYPED_CANARY = "Typed-Canary-Pw-9a4f07";
    private static final String AGENT_SECRET = "Agent-Secret-Canary-3d8b";
    private static final TestSystem SYS = TestSystem.get();
    private static final ScriptedModelServer MODEL = ScriptedModelServer.start();
    /** A server of its own: agent tasks on a scripted model, recordings capped at the least they may hold. */
    private static LocalServer small;
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void launch() {
        Map<String, String> env = new java.util.HashMap<>(TestSystem.scriptedModel(MODEL));
        env.put("TABRUNNER_AGENT_SYNC_WAIT_MS", "20000");
        env.put(Recordings.MAX_BYTES_SETTING, String.valueOf(64 * 1024));
        small = TestSystem.startServer(TestSystem.tempDir(), env);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path chromium = List.of("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium").stream()
                .map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Chromium: install Debian's chromium"));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(chromium));
    }

    @AfterAll
    static void close() {
        browser.close();
        playwright.close();
        small.close();
        MODEL.close();
    }

    /** A session of a fresh tenant whose tasks are recorded, and a finished task on the form fixture. */
    private record Recorded(Api api, String session, String task) {
        String path() {
            return "/browser/sessions/" + session + "/tasks/" + task;
        }
    }

    private static Recorded recordedFormTask() {
        Api api = SYS.newTenant("user");
        var s = api.post("/browser/sessions", "{\"recording\":true}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        String session = s.json().get("id").asText();
        var r = api.runTask(session, "{\"url\":\"" + SYS.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Ada\"},"
                + "{\"type\":\"click\",\"selector\":\"#submit\"},"
                + "{\"type\":\"wait\",\"selector\":\"#result:has-text('Submitted')\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Recorded(api, session, r.json().get("taskId").asText());
    }

    @Test
    void aRecordedScriptedTask_returnsItsRecording_withTheFixturePagesEventsAndItsActionsMarked() {
        Recorded t = recordedFormTask();

        var rec = t.api().get(t.path() + "/recording");

        assertThat(rec.status()).as(rec.body()).isEqualTo(200);
        JsonNode doc = rec.json();
        assertThat(doc.get("format").asText()).isEqualTo("rrweb");
        assertThat(doc.get("truncated").asBoolean()).isFalse();
        List<Integer> types = new ArrayList<>();
        doc.get("events").forEach(e -> types.add(e.get("type").asInt()));
        // rrweb: 4 = the page's meta (its URL and size), 2 = the full snapshot of its DOM, 3 = what changed after
        assertThat(types).contains(4, 2, 3);
        assertThat(doc.get("events").toString()).contains("form.html", "Hover me", "Submitted: Ada");
        List<String> marked = new ArrayList<>();
        doc.get("marks").forEach(m -> marked.add(m.get("type").asText()));
        assertThat(marked).containsExactly("navigate", "type", "click", "wait");
        assertThat(doc.get("marks").get(0).get("label").asText()).contains("form.html");
        var task = t.api().get(t.path()).json();
        assertThat(task.get("artifacts").toString()).contains("\"kind\":\"recording\"");
        System.out.printf("recording of the form fixture task (4 actions): %d bytes, %d events%n",
                rec.bytes().length, doc.get("events").size());
    }

    @Test
    void theSessionsNextTask_inItsWarmContext_isRecordedToo() {
        Recorded first = recordedFormTask();
        var r = first.api().runTask(first.session(), "{\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Grace\"},"
                + "{\"type\":\"click\",\"selector\":\"#submit\"},"
                + "{\"type\":\"wait\",\"selector\":\"#result:has-text('Grace')\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        Recorded second = new Recorded(first.api(), first.session(), r.json().get("taskId").asText());

        var rec = second.api().get(second.path() + "/recording");

        // the context the first task left is still open (ADR 0014): the recorder must install itself in it again
        assertThat(rec.status()).as(rec.body()).isEqualTo(200);
        assertThat(rec.json().get("events").toString()).contains("Submitted: Grace");
        List<String> marked = new ArrayList<>();
        rec.json().get("marks").forEach(m -> marked.add(m.get("type").asText()));
        assertThat(marked).containsExactly("type", "click", "wait");
    }

    @Test
    void aScriptedTaskIsNotRecordedByDefault_andAnotherTenantsRecordingIsNotFound() {
        Recorded t = recordedFormTask();
        var plain = t.api().runTask(t.api().post("/browser/sessions", "{}").json().get("id").asText(),
                "{\"url\":\"" + SYS.url("/form.html") + "\"}");
        assertThat(plain.status()).as(plain.body()).isEqualTo(201);
        String plainPath = "/browser/sessions/" + plain.json().get("sessionId").asText() + "/tasks/"
                + plain.json().get("taskId").asText();
        assertThat(t.api().get(plainPath + "/recording").status()).isEqualTo(404);
        assertThat(t.api().post(plainPath + "/replay", "").status()).isEqualTo(404);

        Api other = SYS.newTenant("admin");
        assertThat(other.get(t.path() + "/recording").status()).isEqualTo(404);
        assertThat(other.post(t.path() + "/replay", "").status()).isEqualTo(404);

        // a task's own flag wins over its session's
        var declined = t.api().runTask(t.session(), "{\"url\":\"" + SYS.url("/form.html") + "\",\"recording\":false}");
        assertThat(declined.status()).as(declined.body()).isEqualTo(201);
        assertThat(t.api().get("/browser/sessions/" + t.session() + "/tasks/" + declined.json().get("taskId").asText()
                + "/recording").status()).isEqualTo(404);
    }

    @Test
    void passwordsTypedByAuthenticate_orIntoAPasswordField_appearInNoFormInTheRecording() {
        Api admin = SYS.newTenant("admin");
        String origin = SYS.url("").replaceAll("/$", "");
        var cred = admin.post("/browser/credentials", "{\"name\":\"Fixture\",\"origins\":[\"" + origin
                + "\"],\"username\":\"grace\",\"password\":\"" + VAULT_CANARY + "\"}");
        assertThat(cred.status()).as(cred.body()).isEqualTo(201);
        String session = SYS.newSession(admin);
        var r = admin.runTask(session, "{\"recording\":true,\"url\":\"" + SYS.url("/login.html") + "\",\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#password\",\"text\":\"" + TYPED_CANARY + "\"},"
                + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred.json().get("id").asText()
                + "\",\"selectors\":{\"username\":\"#username\",\"password\":\"#password\",\"submit\":\"#login\"},"
                + "\"success\":{\"condition\":\"selector\",\"value\":\"#welcome\"}},"
                + "{\"type\":\"wait\",\"selector\":\"#welcome:has-text('Welcome')\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String path = "/browser/sessions/" + session + "/tasks/" + r.json().get("taskId").asText();

        var rec = admin.get(path + "/recording");

        assertThat(rec.status()).as(rec.body()).isEqualTo(200);
        // the recording goes on after the login: the page it ended on is in it
        assertThat(rec.body()).contains("login.html", "account.html", "Welcome, grace");
        assertNoFormOf(VAULT_CANARY, rec.body());
        assertNoFormOf(TYPED_CANARY, rec.body());
    }

    @Test
    void theReplayPage_playsTheRecording_withTheTasksActionsMarked_andAnUnknownLinkSaysSo() {
        Recorded t = recordedFormTask();
        var link = t.api().post(t.path() + "/replay", "");
        assertThat(link.status()).as(link.body()).isEqualTo(201);
        String url = link.json().get("replayUrl").asText();
        assertThat(url).contains("/replay/" + t.task() + "?token=");
        assertThat(link.json().get("expiresAt").asText()).isNotBlank();

        List<String> violations = new ArrayList<>();
        try (var context = browser.newContext()) {
            Page page = context.newPage();
            page.onConsoleMessage(m -> {
                if (m.text().contains("Content Security Policy")) {
                    violations.add(m.text());
                }
            });
            Response opened = page.navigate(url);
            assertThat(opened.status()).isEqualTo(200);
            assertThat(opened.headers().get("content-security-policy")).contains("script-src 'self'");

            // it plays: the position advances, and the rebuilt page shows the fixture's text
            page.waitForFunction("() => Number(document.body.dataset.time) > 0");
            page.waitForSelector("body[data-state=ended]");
            assertThat(Integer.parseInt(page.inputValue("#position")))
                    .isEqualTo(Integer.parseInt(page.getAttribute("#position", "max")));
            var replayed = page.frameLocator("#player iframe");
            assertThat(replayed.locator("#hover-target").textContent()).isEqualTo("Hover me");
            assertThat(replayed.locator("#result").textContent()).isEqualTo("Submitted: Ada");

            // the marks are the task's actions, in order, and a step jumps there
            List<String> marks = new ArrayList<>();
            for (var m : page.locator("#marks .mark").all()) {
                marks.add(m.getAttribute("data-type"));
            }
            assertThat(marks).containsExactly("navigate", "type", "click", "wait");
            assertThat(page.locator("#steps li").count()).isEqualTo(4);
            page.locator("#steps li button").first().click();
            page.waitForFunction("() => document.querySelector('#steps li').classList.contains('current')");
            assertThat(replayed.locator("#result").textContent()).isEmpty();

            page.click("#play");
            page.waitForSelector("body[data-state=ended]");
            assertThat(replayed.locator("#result").textContent()).isEqualTo("Submitted: Ada");

            Response unknown = page.navigate(url.replaceAll("token=.*", "token=" + "x".repeat(43)));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(page.textContent("h1")).contains("not valid");
        }
        assertThat(violations).isEmpty();
        // the page's recording with the link's token; the same token opens no other task
        String query = url.replaceAll(".*\\?", "?");
        String base = SYS.server.baseUrl() + "/replay/";
        assertThat(Api.plain(base + t.task() + "/recording" + query)).contains("\"format\":\"rrweb\"");
        Recorded other = recordedFormTask();
        assertThat(Api.plain(base + other.task() + "/recording" + query)).contains("replay_not_found");
    }

    @Test
    void anAgentTask_isRecordedByDefault_andTheSecretItTypesIsInNoFormOfTheRecording() {
        Api api = TestSystem.newTenant(small);
        String session = TestSystem.openSession(api);
        MODEL.reset();
        // the secret goes into a text field (not a password field): every input is masked when a task has secrets,
        // and the GET form then puts it into the next page's URL, which the recording's meta event holds
        MODEL.then(r -> Reply.tools(
                        Call.of("type", "{\"index\":" + ScriptedModelServer.index(r, "Username")
                                + ",\"text\":\"<secret>pw</secret>\"}"),
                        Call.of("click", "{\"index\":" + ScriptedModelServer.index(r, "Sign in") + "}")))
                .then(Reply.tool("done", "{\"message\":\"signed in\"}"));

        var r = api.post("/browser/sessions/" + session + "/tasks", "{\"taskDetails\":\"Sign in\",\"startingUrl\":\""
                + SYS.url("/agent-login.html") + "\",\"secrets\":[{\"name\":\"pw\",\"value\":\"" + AGENT_SECRET
                + "\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("task_completed");

        var rec = api.get("/browser/sessions/" + session + "/tasks/" + r.json().get("taskId").asText()
                + "/recording");
        assertThat(rec.status()).as(rec.body()).isEqualTo(200);
        assertThat(rec.body()).contains("agent-login.html", "agent-home.html");
        List<String> marked = new ArrayList<>();
        rec.json().get("marks").forEach(m -> marked.add(m.get("type").asText()));
        assertThat(marked).contains("type", "click");
        assertNoFormOf(AGENT_SECRET, rec.body());
    }

    @Test
    void aRecordingPastItsLimit_stopsAndSaysSo_andTheTaskSucceeds() {
        Api api = TestSystem.newTenant(small);
        String session = TestSystem.openSession(api);
        var r = api.runTask(session, "{\"recording\":true,\"url\":\"" + SYS.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"evaluate\",\"script\":\"document.body.append('x'.repeat(200000)); 1\"},"
                + "{\"type\":\"click\",\"selector\":\"#submit\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("task_completed");

        var rec = api.get("/browser/sessions/" + session + "/tasks/" + r.json().get("taskId").asText()
                + "/recording");

        assertThat(rec.status()).as(rec.body()).isEqualTo(200);
        assertThat(rec.json().get("truncated").asBoolean()).isTrue();
        assertThat(rec.body()).contains("Hover me").doesNotContain("xxxxxxxxxx");
        assertThat(rec.bytes().length).isLessThanOrEqualTo(64 * 1024 + 4096);
    }

    /** Every form of the password an attacker could turn it into, or a site could echo it in. */
    private static void assertNoFormOf(String password, String text) {
        SecretMask mask = new SecretMask();
        mask.add(password, "[x]");
        assertThat(mask.reveals(text)).as("the recording holds an encoded form of the password").isFalse();
        List<String> forms = List.of(password, password.toUpperCase(Locale.ROOT),
                String.join(" ", password.split("")), URLEncoder.encode(password, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)),
                password.chars().mapToObj(Integer::toString).collect(Collectors.joining(",")));
        for (String form : forms) {
            assertThat(text).as("the recording").doesNotContain(form);
        }
    }
}
