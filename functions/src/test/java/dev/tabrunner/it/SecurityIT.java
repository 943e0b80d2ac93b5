package dev.tabrunner.it;

import dev.tabrunner.testing.Async;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adversarial suite: one test per attack, each against the whole system with its secure defaults — only the
 * fixture site's address is allowed out (not {@code localhost}, not the rest of loopback). The cases and their
 * outcomes are listed in {@code docs/security.md}.
 */
class SecurityIT {
    private static final TestSystem FIXTURES = TestSystem.get();
    private static LocalServer server;
    private static Api operator;

    @BeforeAll
    static void start() {
        server = TestSystem.startServer(TestSystem.tempDir(), Map.of("TABRUNNER_EGRESS_ALLOW", "127.0.0.1",
                "TABRUNNER_TENANT_RPS", "100", "TABRUNNER_TENANT_MAX_SESSIONS", "3",
                "TABRUNNER_TENANT_MAX_TASKS", "2"));
        operator = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Api tenant(String role) {
        String tenant = "s" + Long.toHexString(System.nanoTime());
        var r = operator.post("/admin/api-keys", "{\"tenantId\":\"" + tenant + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Api(server.baseUrl(), r.json().get("key").asText());
    }

    private static String session(Api api) {
        var r = api.post("/browser/sessions", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static int port() {
        return URI.create(FIXTURES.url("/")).getPort();
    }

    // --- egress ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://2852039166/",
        "http://0xa9fea9fe/", "http://0251.0376.0251.0376/", "http://169.254.43518/",
        "http://[::ffff:169.254.169.254]/", "http://169.254.169.254./", "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/computeMetadata/v1/"})
    void metadataAddress_inAnySpelling_is403(String url) {
        Api api = tenant("user");
        var r = api.runTask(session(api), "{\"url\":\"" + url + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("destination_blocked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:PORT/index.html", "http://127.0.0.2:PORT/", "http://127.2:PORT/",
        "http://2130706434:PORT/", "http://0x7f000002:PORT/", "http://[::1]:PORT/", "http://0.0.0.0:PORT/",
        "http://10.0.0.1/", "http://192.168.0.1/", "http://172.16.0.1/", "http://100.64.0.1/",
        "http://[fc00::1]/", "http://[::ffff:10.0.0.1]/"})
    void loopbackAndPrivateDestinations_are403_alsoAsNavigateActions(String template) {
        String url = template.replace("PORT", Integer.toString(port()));
        Api api = tenant("user");
        String s = session(api);
        var r = api.runTask(s, "{\"actions\":[{\"type\":\"navigate\",\"url\":\"" + url + "\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("destination_blocked");
        assertThat(r.json().at("/error/actionIndex").asInt()).isZero();
    }

    @Test
    void anAllowedHostThatRedirectsToLoopbackOrMetadata_is403() {
        Api api = tenant("user");
        String s = session(api);
        for (String target : List.of("http://localhost:" + port() + "/index.html", "http://127.0.0.2:" + port() + "/",
                "http://169.254.169.254/latest/meta-data/")) {
            var r = api.runTask(s, "{\"url\":\"" + FIXTURES.url("/redirect?to=" + target) + "\"}");
            assertThat(r.status()).as(target + ": " + r.body()).isEqualTo(403);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("destination_blocked");
            assertThat(blockedUrls(r.json())).anyMatch(u -> u.startsWith(target.substring(0, 18)));
        }
    }

    @Test
    void pageInitiatedRequestsToPrivateAddresses_areAbortedAndLogged() {
        Api api = tenant("user");
        // the page's script runs before DOMContentLoaded; its refused requests need not hold the navigation up
        var r = api.runTask(session(api), "{\"url\":\"" + FIXTURES.url("/exfil.html")
                + "\",\"waitUntil\":\"domcontentloaded\",\"actions\":["
                + "{\"type\":\"wait\",\"text\":\"never shown\",\"timeoutMs\":1500}]}");
        // the page itself is allowed; its wait times out, and every request it tried is in the log as refused
        assertThat(r.status()).as(r.body()).isEqualTo(408);
        List<String> blocked = blockedUrls(r.json());
        assertThat(blocked).as(r.body()).anyMatch(u -> u.contains("10.0.0.1"))
                .anyMatch(u -> u.contains("[::1]")).anyMatch(u -> u.contains("169.254.169.254"))
                .anyMatch(u -> u.contains("localhost")).anyMatch(u -> u.contains("127.0.0.2"))
                .anyMatch(u -> u.contains("192.168.1.1")).anyMatch(u -> u.contains("100.64.0.1"));
    }

    private static List<String> blockedUrls(JsonNode task) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : task.path("network")) {
            if (e.path("blocked").asBoolean()) {
                out.add(e.get("url").asText());
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "chrome://settings", "view-source:http://example.com/",
        "javascript:alert(1)", "data:text/html,hi", "about:blank", "ftp://example.com/", "ws://example.com/",
        "chrome-extension://abc/x", "blob:http://example.com/x"})
    void forbiddenSchemes_are400_asTaskUrlAndAsNavigate(String url) {
        Api api = tenant("user");
        String s = session(api);
        var asUrl = api.runTask(s, "{\"url\":\"" + url + "\"}");
        assertThat(asUrl.status()).as(asUrl.body()).isEqualTo(400);
        assertThat(asUrl.json().at("/error/field").asText()).isEqualTo("url");
        var asNavigate = api.runTask(s, "{\"actions\":[{\"type\":\"navigate\",\"url\":\"" + url + "\"}]}");
        assertThat(asNavigate.status()).as(asNavigate.body()).isEqualTo(400);
    }

    // --- tenants and keys -----------------------------------------------------------------------------------

    @Test
    void anotherTenantsObjects_answerExactlyLikeMissingOnes() {
        Api owner = tenant("admin");
        Api intruder = tenant("admin");
        String s = session(owner);
        var task = owner.runTask(s, "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"screenshot\":{}}");
        assertThat(task.status()).as(task.body()).isEqualTo(201);
        String taskId = task.json().get("taskId").asText();
        String artifact = task.json().at("/artifacts/0/id").asText();
        assertThat(owner.uploadMultipart(s, "a.txt", "text/plain", "x".getBytes()).status()).isEqualTo(201);
        var cred = owner.post("/browser/credentials", "{\"name\":\"c\",\"origins\":[\"https://a.example\"],"
                + "\"username\":\"u\",\"password\":\"p4ssword\"}");
        assertThat(cred.status()).as(cred.body()).isEqualTo(201);
        String credId = cred.json().get("id").asText();
        String missing = "00000000-0000-4000-8000-000000000000";

        List<String[]> probes = List.of(
                new String[]{"GET", "/browser/sessions/%s", s},
                new String[]{"DELETE", "/browser/sessions/%s", s},
                new String[]{"POST", "/browser/sessions/%s/tasks", s},
                new String[]{"GET", "/browser/sessions/%s/tasks", s},
                new String[]{"GET", "/browser/sessions/%s/files", s},
                new String[]{"POST", "/browser/sessions/%s/pdf", s},
                new String[]{"GET", "/browser/sessions/" + s + "/tasks/%s", taskId},
                new String[]{"POST", "/browser/sessions/" + s + "/tasks/%s/stop", taskId},
                new String[]{"POST", "/browser/sessions/" + s + "/tasks/%s/resume", taskId},
                new String[]{"GET", "/browser/sessions/" + s + "/tasks/" + taskId + "/artifacts/%s", artifact},
                new String[]{"GET", "/browser/credentials/%s", credId},
                new String[]{"PUT", "/browser/credentials/%s", credId},
                new String[]{"DELETE", "/browser/credentials/%s", credId});
        for (String[] p : probes) {
            var theirs = call(intruder, p[0], String.format(p[1], p[2]));
            var nobodys = call(intruder, p[0], String.format(p[1], missing).replace(s, missing));
            assertThat(theirs.status()).as(p[0] + " " + p[1]).isEqualTo(404);
            assertThat(nobodys.status()).as(p[0] + " " + p[1] + " (missing)").isEqualTo(404);
            assertThat(theirs.json().at("/error/code").asText()).isEqualTo(nobodys.json().at("/error/code").asText());
            assertThat(theirs.body()).doesNotContain("p4ssword");
        }
        assertThat(intruder.get("/browser/sessions").json().get("sessions")).isEmpty();
        assertThat(intruder.get("/browser/credentials").body()).doesNotContain(credId);
        // and the owner still has everything
        assertThat(owner.get("/browser/sessions/" + s + "/tasks/" + taskId).status()).isEqualTo(200);
        assertThat(owner.get("/browser/credentials/" + credId).status()).isEqualTo(200);
    }

    private static Api.Response call(Api api, String method, String path) {
        HttpRequest.Builder b = api.request(path).header("Content-Type", "application/json");
        return api.send(switch (method) {
            case "GET" -> b.GET().build();
            case "DELETE" -> b.DELETE().build();
            case "PUT" -> b.PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"x12345\"}")).build();
            default -> b.POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        });
    }

    @Test
    void aRevokedKey_stopsWorkingAtOnce() {
        var created = operator.post("/admin/api-keys", "{\"tenantId\":\"revoked" + System.nanoTime()
                + "\",\"role\":\"user\"}");
        Api api = new Api(server.baseUrl(), created.json().get("key").asText());
        assertThat(api.get("/browser/sessions").status()).isEqualTo(200);
        assertThat(operator.delete("/admin/api-keys/" + created.json().get("id").asText()).status()).isEqualTo(204);
        var after = api.get("/browser/sessions");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().at("/error/code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aTenantOverItsLimits_gets429WithRetryAfter_andOthersAreUnaffected() throws Exception {
        Api noisy = tenant("user");
        Api quiet = tenant("user");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Api.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                burst.add(pool.submit(() -> noisy.get("/browser/sessions")));
            }
            int limited = 0;
            for (Future<Api.Response> f : burst) {
                Api.Response r = f.get();
                if (r.status() == 429) {
                    limited++;
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    assertThat(r.json().at("/error/code").asText()).isEqualTo("rate_limited");
                }
            }
            assertThat(limited).isPositive();
            assertThat(quiet.get("/browser/sessions").status()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        Thread.sleep(1100);
        Api sessions = tenant("user");
        for (int i = 0; i < 3; i++) {
            session(sessions);
        }
        var fourth = sessions.post("/browser/sessions", "{}");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.json().at("/error/code").asText()).isEqualTo("too_many_sessions");
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();
        assertThat(quiet.post("/browser/sessions", "{}").status()).isEqualTo(201);

        Api busy = tenant("user");
        List<CompletableFuture<Api.Response>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String s = session(busy);
            slow.add(Async.supply(() -> busy.runTask(s,
                    "{\"url\":\"" + FIXTURES.url("/slow?ms=3000") + "\"}")));
        }
        Thread.sleep(800);
        var third = busy.runTask(session(busy), "{\"url\":\"" + FIXTURES.url("/index.html") + "\"}");
        assertThat(third.status()).as(third.body()).isEqualTo(429);
        assertThat(third.json().at("/error/code").asText()).isEqualTo("too_many_tasks");
        for (CompletableFuture<Api.Response> f : slow) {
            assertThat(f.get().status()).isEqualTo(201);
        }
    }

    // --- input ----------------------------------------------------------------------------------------------

    @Test
    void oversizedAndMalformedBodies_are413And400() {
        Api api = tenant("user");
        String s = session(api);
        var huge = api.runTask(s, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"" + "x".repeat(1_100_000)
                + "\"}]}");
        assertThat(huge.status()).isEqualTo(413);
        var malformed = api.runTask(s, "{\"actions\": [ {\"type\": \"click\", }");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/message").asText()).containsPattern("line \\d+, column \\d+");
        var unknown = api.runTask(s, "{\"actions\":[{\"type\":\"click\",\"selector\":\"a\",\"force\":true}]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/field").asText()).isEqualTo("actions[0].force");
        var range = api.runTask(s, "{\"actions\":[{\"type\":\"wait\",\"selector\":\"a\",\"timeoutMs\":999999}]}");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.json().at("/error/field").asText()).isEqualTo("actions[0].timeoutMs");
        var tooMany = api.runTask(s, "{\"actions\":[" + String.join(",", java.util.Collections.nCopies(101,
                "{\"type\":\"press\",\"key\":\"a\"}")) + "]}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/field").asText()).isEqualTo("actions");
    }

    @Test
    void idempotencyKey_replaysTheOriginalResponse_andRefusesADifferentBody() {
        Api api = tenant("user");
        var first = api.send(api.request("/browser/sessions").header("Content-Type", "application/json")
                .header("Idempotency-Key", "create-1").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        var again = api.send(api.request("/browser/sessions").header("Content-Type", "application/json")
                .header("Idempotency-Key", "create-1").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(api.get("/browser/sessions").json().get("sessions")).hasSize(1);
        var different = api.send(api.request("/browser/sessions").header("Content-Type", "application/json")
                .header("Idempotency-Key", "create-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"locale\":\"fr-FR\"}")).build());
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.json().at("/error/code").asText()).isEqualTo("idempotency_key_reused");

        String s = first.json().get("id").asText();
        String body = "{\"url\":\"" + FIXTURES.url("/index.html") + "\"}";
        var run = api.send(api.request("/browser/sessions/" + s + "/tasks").header("Idempotency-Key", "run-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        var rerun = api.send(api.request("/browser/sessions/" + s + "/tasks").header("Idempotency-Key", "run-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(run.status()).isEqualTo(201);
        assertThat(rerun.json().get("taskId").asText()).isEqualTo(run.json().get("taskId").asText());
        assertThat(api.get("/browser/sessions/" + s + "/tasks").json().get("tasks")).hasSize(1);
    }

    // --- failure and recovery -------------------------------------------------------------------------------

    @Test
    void runawayScript_is408_andTheBrowserServesTheNextTask() {
        Api api = tenant("user");
        String s = session(api);
        var r = api.runTask(s, "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":"
                + "\"evaluate\",\"script\":\"while(true){}\",\"timeoutMs\":2000}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(408);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("script_timeout");
        var next = api.runTask(s, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"1+1\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value").asInt()).isEqualTo(2);
    }

    @Test
    void aPageThatAllocatesUntilItCrashes_is503_andTheBrowserServesTheNextTask() {
        Api api = tenant("user");
        String s = session(api);
        var r = api.runTask(s, "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":"
                + "\"evaluate\",\"script\":\"const a = []; while (true) { a.push(new Array(1e6).fill(Math.random())); }"
                + "\",\"timeoutMs\":60000}]}");
        assertThat(r.status()).as(r.body()).isIn(408, 503);
        var next = api.runTask(s, "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":"
                + "\"evaluate\",\"script\":\"document.title\"}]}");
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.json().at("/results/0/value").asText()).isEqualTo("Fixture index");
    }

    @Test
    void fiftyConcurrentStops_racingTheEnd_leaveExactlyOneTerminalState() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            Api other = tenant("user");
            String s2 = session(other);
            CompletableFuture<Api.Response> running = Async.supply(() -> other.runTask(s2,
                    "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":\"wait\","
                            + "\"text\":\"never\",\"timeoutMs\":1500}]}"));
            String raceId = null;
            for (int i = 0; i < 200 && raceId == null; i++) {
                JsonNode tasks = other.get("/browser/sessions/" + s2 + "/tasks").json().get("tasks");
                if (!tasks.isEmpty() && tasks.get(0).get("status").asText().equals("running")) {
                    raceId = tasks.get(0).get("taskId").asText();
                }
                Thread.sleep(20);
            }
            assertThat(raceId).as("the task never started").isNotNull();
            Thread.sleep(1300); // close to the wait's end, so stops and the finish race
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Response>> stops = new ArrayList<>();
            String target = "/browser/sessions/" + s2 + "/tasks/" + raceId + "/stop";
            for (int i = 0; i < 50; i++) {
                stops.add(pool.submit(() -> {
                    go.await();
                    return other.post(target, "");
                }));
            }
            go.countDown();
            int won = 0;
            int lost = 0;
            for (Future<Api.Response> f : stops) {
                int status = f.get().status();
                if (status == 200) {
                    won++;
                } else {
                    assertThat(status).as(f.get().body()).isEqualTo(409);
                    lost++;
                }
            }
            running.get();
            JsonNode end = other.get("/browser/sessions/" + s2 + "/tasks/" + raceId).json();
            String status = end.get("status").asText();
            assertThat(won + lost).isEqualTo(50);
            assertThat(won).isLessThanOrEqualTo(1);
            assertThat(status).isIn("stopped", "failed");
            assertThat(status.equals("stopped")).as("a stop won exactly when the task ended stopped: " + end)
                    .isEqualTo(won == 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stop_endsALongWaitWithinAboutASecond_andPauseResume_continuesFromTheCheckpoint() throws Exception {
        Api api = tenant("user");
        String s = session(api);
        CompletableFuture<Api.Response> running = Async.supply(() -> api.runTask(s,
                "{\"url\":\"" + FIXTURES.url("/index.html") + "\",\"actions\":[{\"type\":\"wait\","
                        + "\"text\":\"never\",\"timeoutMs\":60000}]}"));
        String id = runningTask(api, s);
        long t0 = System.nanoTime();
        var stop = api.post("/browser/sessions/" + s + "/tasks/" + id + "/stop", "");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(stop.json().get("status").asText()).isEqualTo("stopped");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(running.get().status()).isEqualTo(409);
        var resumeStopped = api.post("/browser/sessions/" + s + "/tasks/" + id + "/resume", "");
        assertThat(resumeStopped.status()).isEqualTo(409);
        assertThat(resumeStopped.json().at("/error/code").asText()).isEqualTo("task_stopped");

        String steps = String.join(",", java.util.Collections.nCopies(6,
                "{\"type\":\"evaluate\",\"script\":\"new Promise(r => setTimeout(() => r(location.pathname), 400))\"}"));
        CompletableFuture<Api.Response> paused = Async.supply(() -> api.runTask(s,
                "{\"url\":\"" + FIXTURES.url("/form.html") + "\",\"actions\":[" + steps + "]}"));
        String second = runningTask(api, s);
        Thread.sleep(600);
        var pause = api.post("/browser/sessions/" + s + "/tasks/" + second + "/pause", "");
        assertThat(pause.status()).as(pause.body()).isEqualTo(200);
        assertThat(pause.json().get("status").asText()).isEqualTo("paused");
        int doneAtPause = pause.json().get("results").size();
        assertThat(doneAtPause).isBetween(1, 5);
        assertThat(paused.get().status()).isEqualTo(202);
        var resume = api.post("/browser/sessions/" + s + "/tasks/" + second + "/resume", "");
        assertThat(resume.status()).as(resume.body()).isEqualTo(200);
        JsonNode end = null;
        for (int i = 0; i < 100; i++) {
            end = api.get("/browser/sessions/" + s + "/tasks/" + second).json();
            if (end.get("status").asText().equals("task_completed")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("task_completed");
        assertThat(end.get("results")).hasSize(6);
        assertThat(StreamSupport.stream(end.get("results").spliterator(), false)
                .map(n -> n.get("value").asText())).containsOnly("/form.html");
    }

    private static String runningTask(Api api, String session) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode tasks = api.get("/browser/sessions/" + session + "/tasks").json().get("tasks");
            for (JsonNode t : tasks) {
                if (t.get("status").asText().equals("running")) {
                    return t.get("taskId").asText();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no task started running");
    }
}
