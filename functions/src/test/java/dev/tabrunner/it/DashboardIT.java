package dev.tabrunner.it;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser against the running server, as an operator uses it: sign in with a key, open a
 * finished agent task, see its steps' screenshots, follow its replay link and run the replay; a failed scripted task
 * shows its failing action; another tenant's key sees none of it. The API reference page renders too. No page
 * breaks its Content-Security-Policy.
 */
class DashboardIT {
    private static final TestSystem SYS = TestSystem.get();
    private static final ScriptedModelServer MODEL = ScriptedModelServer.start();
    private static LocalServer server;
    private static Playwright playwright;
    private static Browser browser;
    private Page page;
    private final List<String> violations = new ArrayList<>();

    @BeforeAll
    static void start() {
        Map<String, String> env = new java.util.HashMap<>(TestSystem.scriptedModel(MODEL));
        env.put("TABRUNNER_AGENT_SYNC_WAIT_MS", "20000");
        server = TestSystem.startServer(TestSystem.tempDir(), env);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(chromium()));
    }

    private static Path chromium() {
        for (String candidate : List.of("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("no Chromium: install Debian's chromium-headless-shell");
    }

    @AfterAll
    static void stop() {
        browser.close();
        playwright.close();
        server.close();
        MODEL.close();
    }

    @BeforeEach
    void openPage() {
        page = browser.newContext().newPage();
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) {
                violations.add(m.text());
            }
        });
    }

    @AfterEach
    void noViolations() {
        page.context().close();
        assertThat(violations).isEmpty();
    }

    private void signIn(String key) {
        page.navigate(server.baseUrl() + "/ui");
        page.fill("#key", key);
        page.click("#signin button[type=submit]");
        page.waitForSelector("#nav:not([hidden])");
    }

    @Test
    void anAdminOpensAFinishedAgentTask_seesItsStepScreenshots_andRunsItsReplay() {
        var key = new Api(server.baseUrl(), TestSystem.ADMIN_KEY).post("/admin/api-keys", "{\"tenantId\":\"t"
                + Long.toHexString(System.nanoTime()) + "\",\"role\":\"admin\",\"name\":\"ops\"}").json();
        Api admin = new Api(server.baseUrl(), key.get("key").asText());
        MODEL.reset();
        MODEL.then(Reply.tool("navigate", "{\"url\":\"" + SYS.url("/products.html") + "\"}"))
                .then(Reply.tool("done", "{\"message\":\"3 keyboards\"}"));
        var run = admin.post("/browser/run-task", "{\"taskDetails\":\"Count the keyboards\",\"startingUrl\":\""
                + SYS.url("/index.html") + "\"}");
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        String taskId = run.json().get("taskId").asText();

        signIn(admin.key);
        page.waitForSelector("tr.link");
        assertThat(page.locator("tbody tr").count()).isEqualTo(1);
        assertThat(page.locator("tbody tr").first().textContent()).contains("agent", "task_completed");
        page.click("tbody tr.link");
        page.waitForSelector("#task-status");
        assertThat(page.textContent("#view h1")).contains(taskId);
        Locator shots = page.locator(".step img");
        assertThat(shots.count()).isGreaterThanOrEqualTo(2);
        page.waitForFunction("() => [...document.querySelectorAll('.step img')]"
                + ".every(i => i.complete && i.naturalWidth > 0)");
        assertThat(page.textContent("#view")).contains("3 keyboards");

        page.click("#replay-link");
        page.waitForSelector("#replay-actions");
        assertThat(page.textContent("#replay-actions")).contains("navigate", "products.html");
        page.click("#run-replay");
        page.waitForSelector("#task-status");
        page.waitForFunction("() => document.querySelector('#task-status').textContent === 'task_completed'");

        page.click("a[href='#/keys']");
        page.waitForSelector("#view h1:has-text('API keys')");
        assertThat(page.textContent("#view")).contains("ops").doesNotContain(admin.key);
    }

    @Test
    void aFailedScriptedTask_highlightsItsFailingAction_andAnotherTenantSeesNothingOfIt() {
        Api owner = TestSystem.newTenant(server);
        String session = owner.post("/browser/sessions", "{}").json().get("id").asText();
        var failed = owner.runTask(session, "{\"url\":\"" + SYS.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"x\"},"
                + "{\"type\":\"click\",\"selector\":\"#missing\",\"timeoutMs\":500}]}");
        assertThat(failed.status()).isEqualTo(404);
        String taskId = failed.json().get("taskId").asText();

        signIn(owner.key);
        page.navigate(server.baseUrl() + "/ui#/task/" + session + "/" + taskId);
        page.waitForSelector("#failed-action");
        assertThat(page.textContent("#failed-action")).contains("click", "selector_not_found");
        page.waitForFunction("() => [...document.querySelectorAll('.shot img')].some(i => i.naturalWidth > 0)");

        Api stranger = TestSystem.newTenant(server);
        page.click("#signout");
        signIn(stranger.key);
        page.waitForSelector("table");
        assertThat(page.locator("tbody tr").count()).isZero();
        page.navigate(server.baseUrl() + "/ui#/task/" + session + "/" + taskId);
        page.waitForSelector("#view .error", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(page.textContent("#view")).contains("not found");
        page.click("a[href='#/sessions']");
        page.waitForSelector("#view h1:has-text('Sessions')");
        assertThat(page.textContent("#view")).doesNotContain(session);
        assertThat(page.locator("a[href='#/keys']").isHidden()).isTrue();
    }

    @Test
    void theKeyStaysInTheTabsSessionStorage_andAWrongKeyIsRefused() {
        page.navigate(server.baseUrl() + "/ui");
        page.fill("#key", "not-a-key");
        page.click("#signin button[type=submit]");
        page.waitForSelector("#signin-error:not(:empty)");
        Api user = TestSystem.newTenant(server);
        signIn(user.key);
        assertThat(page.evaluate("() => sessionStorage.getItem('tabrunner.key')")).isEqualTo(user.key);
        assertThat(page.evaluate("() => localStorage.length")).isEqualTo(0);
        assertThat(page.context().cookies()).isEmpty();
    }

    @Test
    void theApiReference_rendersEveryDialect() {
        page.navigate(server.baseUrl() + "/docs");
        page.waitForSelector(".opblock-tag");
        assertThat(page.textContent("#reference")).contains("native", "browser-use v1", "browsing", "admin");
    }
}
