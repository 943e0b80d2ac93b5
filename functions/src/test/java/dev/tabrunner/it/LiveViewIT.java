package dev.tabrunner.it;

import dev.tabrunner.testing.Async;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * authenticate {@code prompt_user}: a person completes the login through the live view, opened in a second,
 * independent browser that clicks and types on the streamed page.
 */
class LiveViewIT {
    private final TestSystem sys = TestSystem.get();

    /** A task that asks a person to log in on {@code url} through the live view, done when {@code selector} shows. */
    static String promptTask(String url, String selector, long pauseMs) {
        return "{\"url\":\"" + url + "\",\"actions\":[{\"type\":\"authenticate\",\"mode\":\"prompt_user\","
                + "\"pauseTimeoutMs\":" + pauseMs + ",\"success\":{\"condition\":\"selector\",\"value\":\""
                + selector + "\"}}]}";
    }

    /** The live view link of the session's task that has one open. */
    static String liveViewUrl(Api api, String session) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode tasks = api.get("/browser/sessions/" + session + "/tasks").json().get("tasks");
            for (JsonNode t : tasks) {
                if (t.hasNonNull("liveViewUrl")) {
                    return t.get("liveViewUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task never opened a live view");
    }

    /** The live view link of the session's task once its login waits for the person. */
    static String loginWaiting(Api api, String session) throws InterruptedException {
        String live = liveViewUrl(api, session);
        Api anonymous = new Api(api.base, null);
        for (int i = 0; i < 100; i++) {
            if (anonymous.get(live.replace("?", "/status?")).json().path("state").asText().equals("login_waiting")) {
                return live;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task's login never waited for a person");
    }

    @Test
    void aPersonLogsInThroughTheLiveView() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        CompletableFuture<Api.Response> task = Async.supply(() -> api.runTask(session,
                promptTask(sys.url("/live-login.html"), "#welcome", 60_000)));
        String live = loginWaiting(api, session);
        assertThat(live).matches("/live/[0-9a-f-]{36}\\?token=[A-Za-z0-9_-]{43}");
        Api anonymous = new Api(sys.server.baseUrl(), null);
        assertThat(anonymous.get(live).status()).isEqualTo(200);
        assertThat(anonymous.get(live.replaceAll("token=.*", "token=guess")).status()).isEqualTo(404);
        assertThat(anonymous.get(live.replaceAll("\\?token=.*", "")).status()).isEqualTo(404);

        // the person's own browser, reaching the API on loopback
        try (BrowserHost host = new BrowserHost(BrowserSettings.from(Map.of("TABRUNNER_EGRESS_ALLOW", "127.0.0.1")))) {
            Browser browser = host.browser();
            try (BrowserContext person = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(1500, 1200))) {
                Page viewer = person.newPage();
                viewer.navigate(sys.server.baseUrl() + live);
                viewer.waitForFunction("() => document.getElementById('screen').style.width !== ''");
                BoundingBox img = viewer.locator("#screen").boundingBox();
                viewer.mouse().click(img.x + 60, img.y + 35);
                viewer.keyboard().type("grace");
                viewer.mouse().click(img.x + 60, img.y + 85);
                viewer.keyboard().type("pw");
                viewer.mouse().click(img.x + 60, img.y + 135);

                Api.Response done = task.get();
                assertThat(done.status()).as(done.body()).isEqualTo(201);
                assertThat(done.json().at("/results/0/success").asBoolean()).isTrue();
                assertThat(done.json().at("/results/0/reason").asText()).isEqualTo("user_completed");
                assertThat(done.json().get("url").asText()).isEqualTo(sys.url("/account.html"));
                assertThat(done.json().has("liveViewUrl")).isFalse();
            }
        }
        assertThat(anonymous.get(live).status()).as("the link ends with the task").isEqualTo(404);
        var check = api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                + "\"document.querySelector('#welcome').textContent\"}]}");
        assertThat(check.json().at("/results/0/value").asText()).isEqualTo("Welcome, grace");
    }

    @Test
    void aSmallWindowScalesThePage_aWatchOnlyLinkOnlyWatches_andDoneEndsTheWait() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        CompletableFuture<Api.Response> task = Async.supply(() -> api.runTask(session,
                promptTask(sys.url("/live-login.html"), "#welcome", 60_000)));
        String live = loginWaiting(api, session);
        Api anonymous = new Api(sys.server.baseUrl(), null);

        // an unknown or expired link is a page that says so, not JSON
        Api.Response unknown = anonymous.get(live.replaceAll("token=.*", "token=guess"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(unknown.body()).contains("This live view is not open");

        JsonNode status = anonymous.get(live.replace("?", "/status?")).json();
        assertThat(status.get("state").asText()).isEqualTo("login_waiting");
        assertThat(status.get("canAct").asBoolean()).isTrue();
        assertThat(status.get("expiresAt").asText()).isNotBlank();
        String watchOnly = status.get("watchOnlyUrl").asText();
        assertThat(watchOnly).contains("readOnly=1").doesNotContain(live.substring(live.indexOf("token=") + 6));
        assertThat(anonymous.get(watchOnly).status()).isEqualTo(200);
        assertThat(anonymous.get(watchOnly.replace("?", "/status?")).json().get("canAct").asBoolean()).isFalse();
        assertThat(anonymous.post(watchOnly.replace("?", "/input?"), "{\"type\":\"done\"}").status())
                .isEqualTo(403);

        try (BrowserHost host = new BrowserHost(BrowserSettings.from(Map.of("TABRUNNER_EGRESS_ALLOW", "127.0.0.1")))) {
            Browser browser = host.browser();
            // an 800 x 600 window (an iframe's size) shows the whole 1280 x 720 page, scaled down
            try (BrowserContext person = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(800, 600))) {
                Page viewer = person.newPage();
                viewer.navigate(sys.server.baseUrl() + live + "&embed=1");
                viewer.waitForFunction("() => document.getElementById('screen').style.width !== ''");
                BoundingBox img = viewer.locator("#screen").boundingBox();
                assertThat(img.width).isLessThanOrEqualTo(800).isGreaterThan(600);
                assertThat(viewer.locator("header").isVisible()).as("embed=1 drops the header").isFalse();
                double scale = img.width / 1280;
                viewer.mouse().click(img.x + 60 * scale, img.y + 35 * scale);
                viewer.keyboard().type("ada");
                viewer.mouse().click(img.x + 60 * scale, img.y + 85 * scale);
                viewer.keyboard().type("pw");
                viewer.mouse().click(img.x + 60 * scale, img.y + 135 * scale);
                Api.Response loggedIn = task.get();
                assertThat(loggedIn.status()).as(loggedIn.body()).isEqualTo(201);
                assertThat(loggedIn.json().at("/results/0/reason").asText()).isEqualTo("user_completed");
            }
            assertThat(anonymous.get(live).status()).isEqualTo(404);

            // Done without a login: the wait ends at once with the condition's verdict, not after the pause
            CompletableFuture<Api.Response> second = Async.supply(() -> api.runTask(session,
                    promptTask(sys.url("/live-login.html"), "#nothing-here", 60_000)));
            String again = loginWaiting(api, session);
            try (BrowserContext person = browser.newContext()) {
                Page viewer = person.newPage();
                viewer.navigate(sys.server.baseUrl() + again);
                viewer.waitForFunction("() => !document.getElementById('done').hidden");
                assertThat(viewer.locator("#what").textContent()).contains("login is waiting");
                assertThat(viewer.locator("#left").textContent()).matches("link ends in \\d+:\\d\\d");
                long start = System.nanoTime();
                viewer.locator("#done").click();
                Api.Response done = second.get();
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
                assertThat(done.status()).as(done.body()).isEqualTo(422);
                assertThat(done.json().at("/error/code").asText()).isEqualTo("success_condition_not_met");
            }
        }
    }

    @Test
    void everyRunningTask_hasALiveView_whosePageShowsOnceSomeoneWatches_andGoesWithTheTask() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        StringBuilder actions = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            actions.append(i == 0 ? "" : ",").append("{\"type\":\"evaluate\",\"script\":\"new Promise(r =>"
                    + " setTimeout(() => { document.body.append('step ").append(i).append("'); r(").append(i)
                    .append("); }, 400))\"}");
        }
        CompletableFuture<Api.Response> task = Async.supply(() -> api.runTask(session, "{\"url\":\""
                + sys.url("/form.html") + "\",\"actions\":[" + actions + "]}"));
        String live = liveViewUrl(api, session);
        Api anonymous = new Api(sys.server.baseUrl(), null);
        JsonNode status = anonymous.get(live.replace("?", "/status?")).json();
        assertThat(status.get("state").asText()).isEqualTo("running");
        assertThat(status.get("title").asText()).isEqualTo("12 action(s)");
        assertThat(status.get("canAct").asBoolean()).isTrue();
        // the first read is a viewer's: from the task's next action on, its page is painted for them
        long start = System.nanoTime();
        while (anonymous.get(live.replace("?", "/frame?")).status() != 200
                && System.nanoTime() - start < 3_000_000_000L) {
            Thread.sleep(50);
        }
        Api.Response frame = anonymous.get(live.replace("?", "/frame?"));
        assertThat(frame.status()).as("a frame within an action of the viewer's arrival").isEqualTo(200);
        assertThat(frame.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        Api.Response done = task.get();
        assertThat(done.status()).as(done.body()).isEqualTo(201);
        assertThat(done.json().has("liveViewUrl")).isFalse();
        assertThat(anonymous.get(live).status()).as("the view goes with the task").isEqualTo(404);
    }

    @Test
    void anIdleSessionsLiveView_showsItsPage_takesInput_andDoneHandsTheSessionBack() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        assertThat(api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":[]}").status())
                .isEqualTo(201);
        Api.Response opened = api.post("/browser/sessions/" + session + "/live-view", "");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String live = opened.json().get("liveViewUrl").asText();
        assertThat(live).startsWith(sys.server.baseUrl() + "/live/");
        Api anonymous = new Api(sys.server.baseUrl(), null);
        JsonNode status = anonymous.get(live.replace("?", "/status?")).json();
        assertThat(status.get("state").asText()).isEqualTo("idle");
        for (int i = 0; i < 100 && anonymous.get(live.replace("?", "/frame?")).status() != 200; i++) {
            Thread.sleep(100);
        }
        assertThat(anonymous.get(live.replace("?", "/frame?")).status()).isEqualTo(200);
        assertThat(new Api(sys.server.baseUrl(), "wrong").post("/browser/sessions/" + session + "/live-view", "")
                .status()).isEqualTo(401);
        assertThat(sys.newTenant("user").post("/browser/sessions/" + session + "/live-view", "").status())
                .isEqualTo(404);

        // a task waits while the person watches; Done hands the session back to it
        CompletableFuture<Api.Response> next = Async.supply(() -> api.runTask(session, "{\"actions\":[{\"type\":"
                + "\"evaluate\",\"script\":\"location.pathname\"}]}"));
        Thread.sleep(1_000);
        assertThat(next).isNotDone();
        assertThat(anonymous.post(live.replace("?", "/input?"), "{\"type\":\"done\"}").status()).isEqualTo(202);
        Api.Response after = next.get();
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        assertThat(after.json().at("/results/0/value").asText()).isEqualTo("/form.html");
        assertThat(anonymous.get(live).status()).isEqualTo(404);
    }

    @Test
    void nobodyActing_endsWith408_afterThePause() {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/live-login.html") + "\",\"actions\":["
                + "{\"type\":\"authenticate\",\"mode\":\"prompt_user\",\"pauseTimeoutMs\":1500,"
                + "\"success\":{\"condition\":\"selector\",\"value\":\"#welcome\"}}]}");
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("success_condition_not_met");
    }
}
