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

    private String liveViewUrl(Api api, String session) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode tasks = api.get("/browser/sessions/" + session + "/tasks").json().get("tasks");
            if (!tasks.isEmpty() && tasks.get(0).has("liveViewUrl")) {
                return tasks.get(0).get("liveViewUrl").asText();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the task never opened a live view");
    }

    @Test
    void aPersonLogsInThroughTheLiveView() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        CompletableFuture<Api.Response> task = Async.supply(() -> api.runTask(session,
                "{\"url\":\"" + sys.url("/live-login.html") + "\",\"actions\":[{\"type\":\"authenticate\","
                        + "\"mode\":\"prompt_user\",\"pauseTimeoutMs\":60000,"
                        + "\"success\":{\"condition\":\"selector\",\"value\":\"#welcome\"}}]}"));
        String live = liveViewUrl(api, session);
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
        assertThat(anonymous.get(live).status()).as("the link expires with the prompt").isEqualTo(404);
        var check = api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                + "\"document.querySelector('#welcome').textContent\"}]}");
        assertThat(check.json().at("/results/0/value").asText()).isEqualTo("Welcome, grace");
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
