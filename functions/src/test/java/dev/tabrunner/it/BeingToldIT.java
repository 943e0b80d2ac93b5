package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Being told instead of polling (issue 17): a 202 says where and when to poll, a long poll answers when the task
 * ends, a queued task says what it waits behind, a failed task shows the page it failed on; every answer carries
 * a request id.
 */
class BeingToldIT {
    private static final TestSystem SYS = TestSystem.get();
    /** A server whose task POSTs stop waiting at once, so that every task is answered 202. */
    private static LocalServer impatient;
    private static Api api;

    @BeforeAll
    static void start() {
        impatient = TestSystem.startServer(TestSystem.tempDir(), Map.of("TABRUNNER_SYNC_WAIT_MS", "1"));
        api = TestSystem.newTenant(impatient);
    }

    @AfterAll
    static void stop() {
        impatient.close();
    }

    private static String slowTask(int ms) {
        return "{\"url\":\"" + SYS.url("/form.html") + "\",\"actions\":[{\"type\":\"evaluate\",\"script\":"
                + "\"new Promise(r => setTimeout(() => r('done'), " + ms + "))\",\"timeoutMs\":20000}]}";
    }

    @Test
    void a202_carriesLocationAndRetryAfter_andALongPollAnswersWhenTheTaskEnds() {
        String session = SYS.newSession(api);
        var accepted = api.runTask(session, slowTask(1500));
        assertThat(accepted.status()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo(accepted.json().get("pollUrl").asText()).startsWith("http://");
        assertThat(accepted.headers().firstValue("Retry-After")).contains("2");

        long started = System.nanoTime();
        JsonNode done = api.get(location + "?wait=20").json();
        assertThat(done.get("status").asText()).isEqualTo("task_completed");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
        assertThat(api.get(location + "?wait=31").status()).isEqualTo(400);
    }

    @Test
    void aQueuedTask_saysHowManyTasksOfItsSessionItWaitsBehind() {
        String session = SYS.newSession(api);
        var first = api.runTask(session, slowTask(3000));
        var second = api.runTask(session, slowTask(10));
        assertThat(second.status()).isEqualTo(202);
        JsonNode queued = api.get(second.json().get("pollUrl").asText()).json();
        assertThat(queued.get("status").asText()).isEqualTo("started");
        assertThat(queued.at("/queued/tasksAhead").asInt()).isEqualTo(1);
        assertThat(api.get(first.json().get("pollUrl").asText() + "?wait=20").json().has("queued")).isFalse();
        assertThat(api.get(second.json().get("pollUrl").asText() + "?wait=20").json().has("queued")).isFalse();
    }

    @Test
    void aFailedAction_showsTheUrlAndAScreenshotOfThePageItFailedOn() {
        Api user = SYS.newTenant("user");
        String session = SYS.newSession(user);
        var r = user.runTask(session, "{\"url\":\"" + SYS.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"click\",\"selector\":\"#does-not-exist\",\"timeoutMs\":500}]}");
        assertThat(r.status()).isEqualTo(404);
        JsonNode error = r.json().get("error");
        assertThat(error.get("actionIndex").asInt()).isZero();
        assertThat(error.get("url").asText()).endsWith("/form.html");
        var shot = user.get(error.get("screenshotUrl").asText());
        assertThat(shot.status()).isEqualTo(200);
        assertThat(shot.bytes()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void everyAnswer_carriesARequestId_theCallersWhenWellFormed() {
        Api user = SYS.newTenant("user");
        var mine = user.send(user.request("/browser/sessions").header("X-Request-Id", "req-1234-abcd").GET()
                .build());
        assertThat(mine.headers().firstValue("X-Request-Id")).contains("req-1234-abcd");
        var garbage = user.send(user.request("/browser/sessions").header("X-Request-Id", "bad id {\"json\": 1}").GET()
                .build());
        assertThat(garbage.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
        var unauthenticated = new Api(SYS.server.baseUrl(), null).send(HttpRequest.newBuilder(
                java.net.URI.create(SYS.server.baseUrl() + "/browser/sessions")).GET().build());
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.headers().firstValue("X-Request-Id")).isPresent();
    }
}
