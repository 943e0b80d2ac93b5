package dev.tabrunner.aws;

import dev.tabrunner.testing.Async;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.FakeLambdaContext;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.InMemoryS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda functions as deployed, in this JVM: every route of the API through the real {@link ApiHandler} with
 * API Gateway payload-2.0 events ({@code src/test/resources/apigw}), the worker handler running dispatched tasks
 * with real Chromium, the dead-letter handler on a failure record, and the bootstrap of the first admin key.
 * DynamoDB is DynamoDB Local; S3, Lambda and Secrets Manager are in-JVM substitutes of the SDK clients.
 */
class ApiHandlerIT {
    /** Where the recorded API Gateway events say the caller reached the API: their Host, over https. */
    private static final String EVENT_BASE = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";
    private static LambdaHarness aws;
    private static FixtureServer fixtures;
    private static WorkerRuntime workerRuntime;
    private static WorkerHandler worker;
    private static String adminKey;

    @BeforeAll
    static void deploy() {
        aws = new LambdaHarness(Duration.ofMillis(1500));
        fixtures = FixtureServer.start();
        workerRuntime = WorkerRuntime.create(aws.clients, aws.settings, aws.env);
        worker = new WorkerHandler(workerRuntime);
        JsonNode issued = aws.invokeRaw("{\"bootstrapAdminKey\":true}");
        adminKey = issued.get("key").asText();
    }

    @AfterAll
    static void tearDown() {
        workerRuntime.executor().close();
        fixtures.close();
    }

    private static Map<String, String> vars(String... pairs) {
        Map<String, String> m = new HashMap<>();
        m.put("key", adminKey);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static JsonNode runWorker(String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        worker.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out,
                new FakeLambdaContext(LambdaHarness.WORKER, 900_000));
        return Json.mapper().readTree(out.toByteArray());
    }

    private static String newSession() {
        LambdaHarness.Response r = aws.call("session-create", vars());
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String lastDispatchedTaskId() throws IOException {
        String payload = aws.lambda.payloads().get(aws.lambda.payloads().size() - 1);
        return Json.mapper().readTree(payload).get("taskId").asText();
    }

    @Test
    void bootstrap_issuesTheOperatorKeyOnce() {
        assertThat(adminKey).startsWith("trk_admin_");
        JsonNode again = aws.invokeRaw("{\"bootstrapAdminKey\":true}");
        assertThat(again.at("/error/code").asText()).isEqualTo("operator_key_exists");
        assertThat(again.has("key")).isFalse();
        assertThat(aws.call("session-list", vars()).status()).isEqualTo(200);
    }

    @Test
    void rotateAdminKey_replacesALostOperatorKey_andTheOldOneStopsWorking() {
        String lost = adminKey;
        JsonNode rotated = aws.invokeRaw("{\"rotateAdminKey\":true}");
        adminKey = rotated.get("key").asText();
        assertThat(adminKey).startsWith("trk_admin_").isNotEqualTo(lost);
        assertThat(rotated.get("tenantId").asText()).isEqualTo("default");
        assertThat(aws.call("session-list", vars()).status()).isEqualTo(200);
        assertThat(aws.call("session-list", vars("key", lost)).status()).isEqualTo(401);
    }

    @Test
    void health_andAuthentication() {
        LambdaHarness.Response health = aws.call("health", Map.of());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        LambdaHarness.Response anonymous = aws.call("unauthenticated", Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().at("/error/code").asText()).isEqualTo("unauthorized");
        assertThat(aws.call("session-list", vars("key", "trk_0123456789abcdef_" + "x".repeat(43))).status())
                .isEqualTo(401);
    }

    @Test
    void browserUseV1_routesThroughTheCatchAllRoute_withItsOwnErrorShapes() {
        LambdaHarness.Response invalid = aws.call("v1-run-task", vars());
        // no language model in this deployment: 501 before the body is even looked at, in v1's shape
        assertThat(invalid.status()).as(invalid.text()).isIn(422, 501);
        assertThat(invalid.json().has("detail")).isTrue();
        LambdaHarness.Response list = aws.call("v1-tasks-list", vars());
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.json().get("limit").asInt()).isEqualTo(5);
        assertThat(list.json().get("tasks").isArray()).isTrue();
        LambdaHarness.Response stop = aws.call("v1-stop-task", vars("taskId", "no-such-task"));
        assertThat(stop.status()).as(stop.text()).isEqualTo(404);
        assertThat(stop.json().get("detail").asText()).isEqualTo("Task not found");
    }

    @Test
    void cdpConnect_andV2Browsers_answer501_whereTheWorkerIsALambdaFunction() {
        LambdaHarness.Response connect = aws.call("session-connect", vars("sessionId", newSession()));
        assertThat(connect.status()).as(connect.text()).isEqualTo(501);
        assertThat(connect.json().at("/error/code").asText()).isEqualTo("not_available_on_this_deployment");
        LambdaHarness.Response browser = aws.call("v2-browser-create", vars());
        assertThat(browser.status()).as(browser.text()).isEqualTo(501);
        assertThat(browser.json().get("detail").asText()).contains("CDP").contains("not available on this"
                + " deployment");
    }

    @Test
    void priming_routesARequestThroughDynamoDb_andChangesNothing() {
        assertThat(aws.api.prime()).isEqualTo(401);
    }

    @Test
    void apiKeys_createAndRevoke() {
        LambdaHarness.Response created = aws.call("api-key-create", vars("tenant", "default"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String userKey = created.json().get("key").asText();
        assertThat(aws.call("session-list", vars("key", userKey)).status()).isEqualTo(200);
        assertThat(aws.call("credential-list", vars("key", userKey)).status()).isEqualTo(403);
        LambdaHarness.Response revoked = aws.call("api-key-delete",
                vars("keyId", created.json().get("id").asText()));
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(aws.call("session-list", vars("key", userKey)).status()).isEqualTo(401);
    }

    @Test
    void sessions_createGetListTerminate() {
        LambdaHarness.Response created = aws.call("session-create", vars());
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().at("/viewport/width").asInt()).isEqualTo(1280);
        assertThat(created.header("content-type")).startsWith("application/json");

        LambdaHarness.Response got = aws.call("session-get", vars("sessionId", id));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("status").asText()).isEqualTo("active");
        LambdaHarness.Response list = aws.call("session-list", vars());
        assertThat(list.json().get("sessions").findValuesAsText("id")).contains(id);

        LambdaHarness.Response terminated = aws.call("session-delete", vars("sessionId", id));
        assertThat(terminated.status()).isEqualTo(200);
        assertThat(terminated.json().get("status").asText()).isEqualTo("terminated");
        LambdaHarness.Response late = aws.call("task-create", vars("sessionId", id,
                "fixtureUrl", fixtures.url("/form.html")));
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.json().at("/error/code").asText()).isEqualTo("session_terminated");
        assertThat(aws.call("session-get", vars("sessionId", "no-such-session")).status()).isEqualTo(404);
    }

    /**
     * On Lambda, uploads are raw bodies with {@code ?filename=}: Micronaut's API Gateway adapter does not parse
     * multipart bodies, so that form answers 400 with the missing part named (README, "Running on AWS").
     */
    @Test
    void files_rawUploadsGoToS3Encrypted_andMultipartIsRefusedClearly() {
        String session = newSession();
        LambdaHarness.Response raw = aws.call("file-upload-raw", vars("sessionId", session));
        assertThat(raw.status()).as(raw.text()).isEqualTo(201);
        assertThat(raw.json().get("size").asInt()).isEqualTo("name,city\nAda,London\n".length());
        LambdaHarness.Response multipart = aws.call("file-upload-multipart", vars("sessionId", session));
        assertThat(multipart.status()).as(multipart.text()).isEqualTo(400);
        assertThat(multipart.json().at("/error/message").asText()).contains("file");

        LambdaHarness.Response list = aws.call("file-list", vars("sessionId", session));
        assertThat(list.json().get("files").findValuesAsText("filename")).containsExactly("data.csv");
        InMemoryS3.StoredObject csv = aws.s3.objects.entrySet().stream()
                .filter(e -> e.getKey().startsWith("sessions/default/" + session + "/files/"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(new String(csv.bytes(), StandardCharsets.UTF_8)).isEqualTo("name,city\nAda,London\n");
        assertThat(csv.request().serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(csv.request().ssekmsKeyId()).isEqualTo(LambdaHarness.KMS_KEY);
    }

    @Test
    void credentials_crud_withTheSecretInSecretsManagerOnly() {
        LambdaHarness.Response created = aws.call("credential-create", vars("password", "pw-canary-1"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.text()).doesNotContain("pw-canary-1");
        assertThat(aws.secrets.current.get("tabrunner/default/" + id)).contains("pw-canary-1");

        assertThat(aws.call("credential-list", vars()).json().get("credentials").findValuesAsText("id"))
                .contains(id);
        LambdaHarness.Response got = aws.call("credential-get", vars("credentialId", id));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.text()).doesNotContain("pw-canary-1");
        LambdaHarness.Response replaced = aws.call("credential-replace", vars("credentialId", id,
                "password", "pw-canary-2"));
        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        assertThat(aws.secrets.current.get("tabrunner/default/" + id)).contains("pw-canary-2");
        assertThat(aws.call("credential-delete", vars("credentialId", id)).status()).isEqualTo(204);
        assertThat(aws.call("credential-get", vars("credentialId", id)).status()).isEqualTo(404);
    }

    @Test
    void aTask_isStoredAndDispatched_runByTheWorker_andReadBackThroughTheApi() throws IOException {
        String session = newSession();
        assertThat(aws.call("file-upload-raw", vars("sessionId", session)).status()).isEqualTo(201);
        int dispatchedBefore = aws.lambda.invocations.size();

        long start = System.nanoTime();
        LambdaHarness.Response accepted = aws.call("task-create", vars("sessionId", session,
                "fixtureUrl", fixtures.url("/form.html")));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat((System.nanoTime() - start) / 1_000_000).as("waited the sync bound").isGreaterThan(1400);
        String taskId = accepted.json().get("taskId").asText();
        // absolute, from the host API Gateway was reached at (the event's Host and X-Forwarded-Proto)
        assertThat(accepted.json().get("pollUrl").asText()).isEqualTo(EVENT_BASE + "/browser/sessions/" + session
                + "/tasks/" + taskId);
        assertThat(accepted.json().get("status").asText()).isEqualTo("started");
        assertThat(aws.lambda.invocations).hasSize(dispatchedBefore + 1);
        assertThat(lastDispatchedTaskId()).isEqualTo(taskId);

        JsonNode ran = runWorker(aws.lambda.payloads().get(dispatchedBefore));
        assertThat(ran.get("status").asText()).isEqualTo("task_completed");

        LambdaHarness.Response done = aws.call("task-get", vars("sessionId", session, "taskId", taskId));
        assertThat(done.status()).isEqualTo(200);
        JsonNode task = done.json();
        assertThat(task.get("status").asText()).as(done.text()).isEqualTo("task_completed");
        assertThat(task.get("results")).hasSize(4);
        assertThat(task.at("/content/html").asText()).contains("Submitted: Ada").contains("data.csv");
        JsonNode shot = task.get("artifacts").get(0);
        assertThat(shot.get("contentType").asText()).isEqualTo("image/png");
        String artifactId = shot.get("id").asText();
        assertThat(shot.get("downloadUrl").asText()).isEqualTo(EVENT_BASE + "/browser/sessions/" + session
                + "/tasks/" + taskId + "/artifacts/" + artifactId);
        assertThat(task.has("pollUrl")).isFalse();

        LambdaHarness.Response list = aws.call("task-list", vars("sessionId", session));
        assertThat(list.json().get("tasks").findValuesAsText("taskId")).containsExactly(taskId);

        LambdaHarness.Response download = aws.call("artifact-get", vars("sessionId", session, "taskId", taskId,
                "artifactId", artifactId));
        assertThat(download.status()).isEqualTo(302);
        URI location = URI.create(download.header("location"));
        assertThat(location.getHost()).isEqualTo(LambdaHarness.BUCKET + ".s3.eu-west-1.amazonaws.com");
        assertThat(location.getPath()).startsWith("/tasks/default/" + taskId + "/" + artifactId);
        assertThat(URLDecoder.decode(location.getRawQuery(), StandardCharsets.UTF_8))
                .contains("X-Amz-Expires=300", "response-content-disposition=attachment; filename=");
        assertThat(download.header("cache-control")).isEqualTo("no-store");

        InMemoryS3.StoredObject state = aws.s3.objects.get("sessions/default/" + session + "/state.json");
        assertThat(state).as("session state saved to S3").isNotNull();
        assertThat(state.request().serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(aws.call("session-get", vars("sessionId", session)).json().get("currentUrl").asText())
                .isEqualTo(fixtures.url("/form.html"));

        // a second delivery of the same event (Lambda's at-least-once) finds the task ended and runs nothing
        TaskStore store = aws.adapters().tasks();
        TaskRecord before = store.findForWorker(taskId).orElseThrow();
        JsonNode again = runWorker("{\"taskId\":\"" + taskId + "\"}");
        assertThat(again.get("status").asText()).isEqualTo("task_completed");
        TaskRecord after = store.findForWorker(taskId).orElseThrow();
        assertThat(after.version()).isEqualTo(before.version());
        // attempts counts lost leases only (issue 19): a task whose worker was never lost has spent none
        assertThat(after.attempts()).isZero();
        assertThat(after.finishedAt()).isEqualTo(before.finishedAt());
    }

    /**
     * Lambda answers at most 6 MB: a task whose full-page screenshot, PDF and HTML together pass that inlines what
     * fits the answer's budget and gives the rest as download URLs, in every answer that shows it.
     */
    @Test
    void aTaskWithOutputsLargerThanALambdaAnswer_isShownWithinIt() throws IOException {
        String session = newSession();
        String body = "{\"url\":\"" + fixtures.url("/long?kb=3000&px=6000") + "\",\"actions\":[{\"type\":\"screenshot\"}],"
                + "\"screenshot\":{\"fullPage\":true},\"pdf\":{},\"content\":true}";
        LambdaHarness.Response accepted = aws.callWithBody("task-create", vars("sessionId", session,
                "fixtureUrl", fixtures.url("/long")), body);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String taskId = accepted.json().get("taskId").asText();
        JsonNode ran = runWorker("{\"taskId\":\"" + taskId + "\"}");
        assertThat(ran.get("status").asText()).as(() -> aws.callWithQuery("task-get", vars("sessionId", session,
                "taskId", taskId), "inline=false").json().path("error").toString()).isEqualTo("task_completed");

        LambdaHarness.Response done = aws.call("task-get", vars("sessionId", session, "taskId", taskId));
        LambdaHarness.Response list = aws.call("task-list", vars("sessionId", session));
        long stored = aws.adapters().tasks().findForWorker(taskId).orElseThrow().artifacts().stream()
                .mapToLong(dev.tabrunner.domain.Artifact::size).sum();
        assertThat(stored).as("the outputs themselves pass what one answer may carry").isGreaterThan(6_000_000);
        for (LambdaHarness.Response r : List.of(accepted, done, list)) {
            assertThat(r.raw().toString().length()).as("a Lambda answer's size").isLessThan(6_000_000);
        }
        JsonNode task = done.json();
        assertThat(task.get("status").asText()).isEqualTo("task_completed");
        // what fit is inlined, the rest is a link; every output is one or the other
        assertThat(task.has("screenshot") || task.has("screenshotUrl")).isTrue();
        assertThat(task.has("pdf") || task.has("pdfUrl")).isTrue();
        assertThat(task.at("/content").has("html") || task.at("/content").has("htmlUrl")).isTrue();
        assertThat(task.has("screenshotUrl") || task.has("pdfUrl") || task.at("/content").has("htmlUrl")
                || task.at("/results/0").has("screenshotUrl")).as("something was left to download").isTrue();
        assertThat(task.at("/results/0").has("screenshot") || task.at("/results/0").has("screenshotUrl")).isTrue();
        // ?inline=false: links only
        LambdaHarness.Response links = aws.callWithQuery("task-get", vars("sessionId", session, "taskId", taskId),
                "inline=false");
        assertThat(links.json().has("screenshot")).isFalse();
        assertThat(links.raw().toString().length()).isLessThan(1_000_000);
    }

    /** Past the upload bound of the Lambda path, our 413 answers (API Gateway's bare one would past ~4.4 MB). */
    @Test
    void anUploadPastTheLambdaBound_is413FileTooLarge() {
        String session = newSession();
        String big = "x".repeat((int) ApiSettings.LAMBDA_MAX_UPLOAD_BYTES + 1);
        LambdaHarness.Response r = aws.callWithBody("file-upload-raw", vars("sessionId", session), big);
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("file_too_large");
    }

    @Test
    void pdf_isATaskToo() throws IOException {
        String session = newSession();
        LambdaHarness.Response accepted = aws.call("pdf", vars("sessionId", session));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String taskId = accepted.json().get("taskId").asText();
        assertThat(lastDispatchedTaskId()).isEqualTo(taskId);
        runWorker("{\"taskId\":\"" + taskId + "\"}");
        JsonNode done = aws.call("task-get", vars("sessionId", session, "taskId", taskId)).json();
        assertThat(done.get("status").asText()).isEqualTo("task_completed");
        assertThat(done.get("pdf").asText()).isNotEmpty();
        assertThat(done.get("artifacts").get(0).get("contentType").asText()).isEqualTo("application/pdf");
    }

    @Test
    void theLiveView_carriesFramesAndInputBetweenTheWorkerAndAPerson() throws Exception {
        String session = newSession();
        String body = "{\"url\":\"" + fixtures.url("/live-login.html") + "\",\"actions\":[{\"type\":"
                + "\"authenticate\",\"mode\":\"prompt_user\",\"pauseTimeoutMs\":60000,\"success\":"
                + "{\"condition\":\"selector\",\"value\":\"#welcome\"}}]}";
        LambdaHarness.Response accepted = aws.callWithBody("task-create", vars("sessionId", session,
                "fixtureUrl", "unused"), body);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String taskId = accepted.json().get("taskId").asText();

        CompletableFuture<JsonNode> running = Async.supply(() -> {
            try {
                return runWorker("{\"taskId\":\"" + taskId + "\"}");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String live = null;
        for (int i = 0; i < 200 && live == null; i++) {
            JsonNode t = aws.call("task-get", vars("sessionId", session, "taskId", taskId)).json();
            live = t.has("liveViewUrl") ? t.get("liveViewUrl").asText() : null;
            if (live == null) {
                Thread.sleep(100);
            }
        }
        assertThat(live).matches("/live/" + taskId + "\\?token=[A-Za-z0-9_-]{43}");
        String token = live.substring(live.indexOf("token=") + 6);

        LambdaHarness.Response page = aws.call("live-page", Map.of("taskId", taskId, "token", token));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<img id=\"screen\"");
        assertThat(aws.call("live-page", Map.of("taskId", taskId, "token", "guess")).status()).isEqualTo(404);
        LambdaHarness.Response frame = null;
        for (int i = 0; i < 100; i++) {
            frame = aws.call("live-frame", Map.of("taskId", taskId, "token", token));
            if (frame.status() == 200) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(frame.status()).isEqualTo(200);
        assertThat(frame.raw().get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(frame.header("content-type")).isEqualTo("image/jpeg");
        assertThat(frame.body()[0] & 0xff).isEqualTo(0xff);
        assertThat(frame.body()[1] & 0xff).isEqualTo(0xd8);
        // the view is the task's from its start; the person acts once the login asks them to
        String state = null;
        for (int i = 0; i < 100 && !"login_waiting".equals(state); i++) {
            state = aws.call("live-status", Map.of("taskId", taskId, "token", token)).json().get("state").asText();
            if (!"login_waiting".equals(state)) {
                Thread.sleep(100);
            }
        }
        assertThat(state).isEqualTo("login_waiting");

        for (String input : new String[]{"{\"type\":\"click\",\"x\":60,\"y\":35}",
                "{\"type\":\"text\",\"text\":\"grace\"}", "{\"type\":\"click\",\"x\":60,\"y\":85}",
                "{\"type\":\"text\",\"text\":\"pw\"}", "{\"type\":\"click\",\"x\":60,\"y\":135}"}) {
            LambdaHarness.Response sent = aws.callWithBody("live-input", Map.of("taskId", taskId, "token", token,
                    "inputEvent", "-"), input);
            assertThat(sent.status()).as(sent.text()).isEqualTo(202);
            Thread.sleep(150);
        }
        JsonNode ran = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ran.get("status").asText()).isEqualTo("task_completed");
        JsonNode done = aws.call("task-get", vars("sessionId", session, "taskId", taskId)).json();
        assertThat(done.at("/results/0/reason").asText()).isEqualTo("user_completed");
        assertThat(done.has("liveViewUrl")).isFalse();
        assertThat(aws.call("live-frame", Map.of("taskId", taskId, "token", token)).status())
                .as("the link ends with the task").isEqualTo(404);
    }

    @Test
    void aFailureRecord_marksTheTaskFailed_once() throws IOException {
        String session = newSession();
        LambdaHarness.Response accepted = aws.call("task-create", vars("sessionId", session,
                "fixtureUrl", fixtures.url("/form.html")));
        String taskId = accepted.json().get("taskId").asText();
        TaskStore store = aws.adapters().tasks();
        List<TaskRecord> ended = new java.util.ArrayList<>();
        DeadLetterHandler dlq = new DeadLetterHandler(store, Clock.systemUTC(), ended::add);

        String sqs;
        try (var in = ApiHandlerIT.class.getResourceAsStream("/sqs/worker-failure.json")) {
            sqs = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${taskId}", taskId);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dlq.handleRequest(new ByteArrayInputStream(sqs.getBytes(StandardCharsets.UTF_8)), out,
                new FakeLambdaContext("tabrunner-dead-letters", 60_000));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"tasksMarkedFailed\":1}");
        // what follows any task's end follows this one too (the session's turn, secrets, a session of its own)
        assertThat(ended).extracting(TaskRecord::id).containsExactly(taskId);

        JsonNode failed = aws.call("task-get", vars("sessionId", session, "taskId", taskId)).json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("worker_failed");
        assertThat(failed.at("/error/message").asText()).contains("RetriesExhausted", "3 attempts",
                "Runtime.ExitError").doesNotContain("signal");
        long version = store.findForWorker(taskId).orElseThrow().version();

        out.reset();
        dlq.handleRequest(new ByteArrayInputStream(sqs.getBytes(StandardCharsets.UTF_8)), out, null);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"tasksMarkedFailed\":0}");
        assertThat(store.findForWorker(taskId).orElseThrow().version()).isEqualTo(version);
        // the worker, delivered late, leaves the failed task alone
        assertThat(runWorker("{\"taskId\":\"" + taskId + "\"}").get("status").asText()).isEqualTo("failed");
    }

    @Test
    void theWorker_ignoresMalformedEvents_andGivesItselfAYieldDeadline() throws IOException {
        assertThat(runWorker("{\"task\":\"x\"}").get("error").asText()).isEqualTo("invalid_event");
        assertThat(runWorker("{\"taskId\":\"../../etc\"}").get("error").asText()).isEqualTo("invalid_event");
        Instant by = worker.yieldBy(new FakeLambdaContext(LambdaHarness.WORKER, 900_000));
        assertThat(Duration.between(Instant.now(), by).toSeconds()).isBetween(835L, 840L);
        assertThat(worker.yieldBy(null)).isNull();
    }
}
