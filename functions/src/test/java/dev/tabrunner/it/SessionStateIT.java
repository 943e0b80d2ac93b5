package dev.tabrunner.it;

import dev.tabrunner.local.LocalServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session is data, not a process: cookies, localStorage and the current URL survive not only the browser but
 * the whole server (and its Chromium) being stopped and started again between two tasks.
 */
class SessionStateIT {
    private final TestSystem sys = TestSystem.get();

    @Test
    void task2_isStillLoggedIn_afterBrowserAndServerRestart() {
        Path data = TestSystem.tempDir();
        String session;
        try (LocalServer first = TestSystem.startServer(data, Map.of())) {
            Api api = new Api(first.baseUrl(), TestSystem.ADMIN_KEY);
            session = sys.newSession(api);
            var login = api.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                    + "{\"type\":\"type\",\"selector\":\"#username\",\"text\":\"grace\"},"
                    + "{\"type\":\"type\",\"selector\":\"#password\",\"text\":\"hunter2\"},"
                    + "{\"type\":\"click\",\"selector\":\"#login\"},"
                    + "{\"type\":\"wait\",\"selector\":\"#welcome\"}]}");
            assertThat(login.status()).as(login.body()).isEqualTo(201);
            assertThat(login.json().get("url").asText()).isEqualTo(sys.url("/account.html"));
        }
        try (LocalServer second = TestSystem.startServer(data, Map.of())) {
            Api api = new Api(second.baseUrl(), TestSystem.ADMIN_KEY);
            var check = api.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"[location.pathname,"
                    + " document.querySelector('#welcome').textContent, localStorage.getItem('user'),"
                    + " document.cookie]\"}]}");
            assertThat(check.status()).as(check.body()).isEqualTo(201);
            var value = check.json().at("/results/0/value");
            assertThat(value.get(0).asText()).isEqualTo("/account.html");
            assertThat(value.get(1).asText()).isEqualTo("Welcome, grace");
            assertThat(value.get(2).asText()).isEqualTo("grace");
            assertThat(value.get(3).asText()).contains("session=abc123");
        }
    }

    @Test
    void slowTask_answers202WithPollUrl_andFinishesAnyway() throws InterruptedException {
        try (LocalServer server = TestSystem.startServer(TestSystem.tempDir(),
                Map.of("TABRUNNER_SYNC_WAIT_MS", "500"))) {
            Api api = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
            String session = sys.newSession(api);
            var r = api.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\",\"actions\":[{\"type\":\"evaluate\","
                    + "\"script\":\"new Promise(r => setTimeout(() => r('done'), 2000))\"}]}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            String poll = r.json().get("pollUrl").asText();
            assertThat(poll).isEqualTo(server.baseUrl() + "/browser/sessions/" + session + "/tasks/"
                    + r.json().get("taskId").asText());
            String status = r.json().get("status").asText();
            assertThat(status).isIn("started", "running");
            Api.Response polled = null;
            for (int i = 0; i < 100 && !"task_completed".equals(status); i++) {
                Thread.sleep(100);
                polled = api.get(poll);
                status = polled.json().get("status").asText();
            }
            assertThat(status).isEqualTo("task_completed");
            assertThat(polled.json().at("/results/0/value").asText()).isEqualTo("done");
        }
    }
}
