package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.Async;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDP connect: Playwright and Puppeteer drive a session's browser context through the gateway, which refuses what
 * would leave the session; the session is busy while they are connected and carries on where they left it.
 */
class ConnectIT {
    private final TestSystem sys = TestSystem.get();

    /** A session whose earlier task left it on the index page with a cookie of its own. */
    private String sessionWithCookie(Api api) {
        String session = sys.newSession(api);
        var first = api.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\",\"actions\":[{\"type\":"
                + "\"evaluate\",\"script\":\"document.cookie = 'flavour=oat; path=/'\"}]}");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        return session;
    }

    private static String cdpUrl(Api api, String session) {
        var r = api.post("/browser/sessions/" + session + "/connect", "");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("expiresAt").asText()).isNotBlank();
        return r.json().get("cdpUrl").asText();
    }

    @Test
    void playwrightConnects_readsTheEarlierTasksCookie_andTheNextTaskContinuesWhereItLeft() throws Exception {
        Api api = sys.newTenant("user");
        String session = sessionWithCookie(api);
        String cdpUrl = cdpUrl(api, session);
        assertThat(cdpUrl).startsWith("ws://").contains("/browser/sessions/" + session + "/cdp?token=");

        CompletableFuture<Api.Response> waiting;
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = playwright.chromium().connectOverCDP(cdpUrl);
            BrowserContext context = browser.contexts().get(0);
            assertThat(context.pages()).hasSize(1);
            Page page = context.pages().get(0);
            assertThat(page.url()).isEqualTo(sys.url("/index.html"));
            assertThat(context.cookies()).extracting(c -> c.name, c -> c.value).contains(
                    org.assertj.core.groups.Tuple.tuple("flavour", "oat"));
            assertThat((String) page.evaluate("document.cookie")).contains("flavour=oat");
            page.navigate(sys.url("/form.html"));

            // the connection has a live view like any running task; its header says a program drives the browser
            String live = LiveViewIT.liveViewUrl(api, session);
            JsonNode status = new Api(sys.server.baseUrl(), null).get(live.replace("?", "/status?")).json();
            assertThat(status.get("state").asText()).isEqualTo("connected");
            assertThat(status.get("kind").asText()).isEqualTo("connection");

            // a task of the session waits while the client is connected
            waiting = Async.supply(() -> api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                    + "\"[location.pathname, document.cookie]\"}]}"));
            Thread.sleep(1_500);
            assertThat(waiting).isNotDone();
            JsonNode tasks = api.get("/browser/sessions/" + session + "/tasks").json().get("tasks");
            assertThat(tasks.findValuesAsText("status")).contains("running");
            browser.close();
        }
        Api.Response next = waiting.get(60, TimeUnit.SECONDS);
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value/0").asText()).isEqualTo("/form.html");
        assertThat(next.json().at("/results/0/value/1").asText()).contains("flavour=oat");
    }

    @Test
    void puppeteerConnects_readsTheSession_navigates_andTheNextTaskContinuesThere() throws Exception {
        Path client = Path.of("target", "cdp-client", "connect.js");
        assertThat(client).as("npm ci of src/test/node/cdp-client runs before the ITs").exists();
        Api api = sys.newTenant("user");
        String session = sessionWithCookie(api);
        Process node = new ProcessBuilder("node", client.toString(), cdpUrl(api, session), sys.url("/products.html"))
                .redirectErrorStream(false).start();
        CompletableFuture<String> err = Async.supply(() -> read(node.getErrorStream()));
        String out = read(node.getInputStream());
        assertThat(node.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(err.get()).isZero();
        JsonNode seen = Json.mapper().readTree(out);
        assertThat(seen.get("pages").asInt()).isEqualTo(1);
        assertThat(seen.get("before").asText()).isEqualTo(sys.url("/index.html"));
        assertThat(seen.get("cookie").asText()).contains("flavour=oat");
        assertThat(seen.get("refused").asText()).contains("refused by the Tabrunner CDP gateway");
        assertThat(seen.get("after").asText()).isEqualTo(sys.url("/products.html"));

        var next = api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"location.pathname\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value").asText()).isEqualTo("/products.html");
    }

    @Test
    void theGatewayRefusesWhatWouldLeaveTheSession_andFilePagesReadNothing() throws Exception {
        Api api = sys.newTenant("user");
        String session = sessionWithCookie(api);
        try (CdpSocket cdp = CdpSocket.open(cdpUrl(api, session))) {
            assertThat(cdp.call("Browser.getVersion", "{}").has("result")).isTrue();
            for (String method : List.of("Browser.close", "Browser.crash", "Browser.getBrowserCommandLine",
                    "SystemInfo.getInfo", "SystemInfo.getProcessInfo", "Target.createBrowserContext",
                    "Target.attachToBrowserTarget", "Tracing.start", "Storage.clearDataForOrigin")) {
                JsonNode answer = cdp.call(method, "{}");
                assertThat(answer.path("error").path("message").asText()).as(method)
                        .startsWith("refused by the Tabrunner CDP gateway");
            }
            JsonNode contexts = cdp.call("Target.getBrowserContexts", "{}");
            assertThat(contexts.at("/result/browserContextIds")).hasSize(1);
            String contextId = contexts.at("/result/browserContextIds/0").asText();
            JsonNode targets = cdp.call("Target.getTargets", "{}").at("/result/targetInfos");
            assertThat(targets).isNotEmpty().allSatisfy(t ->
                    assertThat(t.get("browserContextId").asText()).isEqualTo(contextId));
            String targetId = targets.get(0).get("targetId").asText();
            String page = cdp.call("Target.attachToTarget", "{\"targetId\":\"" + targetId + "\",\"flatten\":true}")
                    .at("/result/sessionId").asText();

            JsonNode file = cdp.call(page, "Page.navigate", "{\"url\":\"file:///etc/passwd\"}");
            assertThat(file.path("error").path("message").asText()).contains("file:");
            for (String url : List.of("chrome://version", "view-source:file:///etc/passwd", "data:text/html,hi",
                    "javascript:alert(1)")) {
                assertThat(cdp.call(page, "Page.navigate", "{\"url\":\"" + url + "\"}").has("error")).as(url)
                        .isTrue();
            }
            assertThat(cdp.call("Target.createTarget", "{\"url\":\"file:///etc/passwd\"}").has("error")).isTrue();
            // a page's script cannot get there either: Chromium refuses local resources to web pages
            cdp.call(page, "Runtime.evaluate", "{\"expression\":\"location.href = 'file:///etc/passwd'\"}");
            Thread.sleep(500);
            JsonNode text = cdp.call(page, "Runtime.evaluate", "{\"expression\":\"location.href + ' ' +"
                    + " document.documentElement.outerHTML\",\"returnByValue\":true}");
            assertThat(text.at("/result/result/value").asText()).doesNotContain("root:").startsWith("http://");
            assertThat(cdp.call(page, "DOM.setFileInputFiles", "{\"files\":[\"/etc/passwd\"],\"nodeId\":1}")
                    .has("error")).isTrue();
            assertThat(cdp.call(page, "SystemInfo.getInfo", "{}").has("error")).isTrue();
            assertThat(cdp.call("not-a-session", "Runtime.evaluate", "{\"expression\":\"1\"}").has("error"))
                    .isTrue();
            // and what belongs to the session works
            JsonNode cookies = cdp.call("Storage.getCookies", "{}").at("/result/cookies");
            assertThat(cookies.findValuesAsText("name")).contains("flavour");
            JsonNode ok = cdp.call(page, "Page.navigate", "{\"url\":\"" + sys.url("/form.html") + "\"}");
            assertThat(ok.has("result")).as(ok.toString()).isTrue();
        }
    }

    @Test
    void anotherSessionsWarmPage_onTheSameBrowser_staysOutOfSight() throws Exception {
        // one worker thread: both sessions' contexts live in the same Chromium, the other one parked warm
        try (var server = TestSystem.startServer(TestSystem.tempDir(), Map.of("TABRUNNER_WORKER_CONCURRENCY", "1"))) {
            Api api = TestSystem.newTenant(server);
            String mine = TestSystem.openSession(api);
            String theirs = TestSystem.openSession(api);
            assertThat(api.runTask(theirs, "{\"url\":\"" + sys.url("/products.html") + "\",\"actions\":[]}")
                    .status()).isEqualTo(201);
            assertThat(api.runTask(mine, "{\"url\":\"" + sys.url("/index.html") + "\",\"actions\":[]}")
                    .status()).isEqualTo(201);
            try (CdpSocket cdp = CdpSocket.open(cdpUrl(api, mine))) {
                cdp.call("Target.setDiscoverTargets", "{\"discover\":true}");
                cdp.call("Target.setAutoAttach", "{\"autoAttach\":true,\"waitForDebuggerOnStart\":false,"
                        + "\"flatten\":true}");
                JsonNode targets = cdp.call("Target.getTargets", "{}").at("/result/targetInfos");
                assertThat(targets.findValuesAsText("url")).containsExactly(sys.url("/index.html"));
                Thread.sleep(500);
                assertThat(cdp.events.toString()).contains("/index.html").doesNotContain("products.html");
            }
            // the other session's page was left alone
            var check = api.runTask(theirs, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                    + "\"location.pathname\"}]}");
            assertThat(check.json().at("/results/0/value").asText()).isEqualTo("/products.html");
        }
    }

    @Test
    void aLinkOpensItsOwnSessionOnce_andAnotherTenantsSessionIsNotFound() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        String other = sys.newSession(api);
        String url = cdpUrl(api, session);
        String token = url.substring(url.indexOf("token="));
        String foreign = url.replace("/sessions/" + session + "/", "/sessions/" + other + "/");
        try (CdpSocket wrongSession = CdpSocket.open(foreign)) {
            assertThat(wrongSession.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(4404);
        }
        try (CdpSocket guessed = CdpSocket.open(url.replace(token, "token=" + token.substring(6, 42) + ".guess"))) {
            assertThat(guessed.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(4404);
        }
        try (CdpSocket first = CdpSocket.open(url)) {
            assertThat(first.call("Browser.getVersion", "{}").has("result")).isTrue();
        }
        // the connection ended with its client: its link opens nothing any more
        for (int i = 0; i < 50 && api.get("/browser/sessions/" + session + "/tasks").body().contains("running");
             i++) {
            Thread.sleep(100);
        }
        try (CdpSocket again = CdpSocket.open(url)) {
            assertThat(again.closedWith.get(10, TimeUnit.SECONDS)).isIn(4404, 4408);
        }

        Api stranger = sys.newTenant("user");
        assertThat(stranger.post("/browser/sessions/" + session + "/connect", "").status()).isEqualTo(404);
        assertThat(new Api(sys.server.baseUrl(), null).post("/browser/sessions/" + session + "/connect", "")
                .status()).isEqualTo(401);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
