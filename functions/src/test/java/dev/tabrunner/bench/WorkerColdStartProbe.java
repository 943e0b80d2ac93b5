package dev.tabrunner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.aws.WorkerHandler;
import dev.tabrunner.aws.WorkerRuntime;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.PlaywrightEngine;
import dev.tabrunner.engine.ScriptedProgram;
import dev.tabrunner.engine.StartupTimeline;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.WarmContexts;
import dev.tabrunner.engine.WarmSettings;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.FakeLambdaContext;
import dev.tabrunner.testing.InMemoryS3;
import dev.tabrunner.testing.RecordingLambda;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link ColdStartBenchmark}: the worker handler's cold start in stages (JVM start, handler
 * built, Playwright driver ready, Chromium launched, context opened, first action done, first task done; Chromium
 * launches in the background from the start, as on Lambda), then the session's later tasks through the handler (in
 * its warm context) and the same task through the engine alone, in this process. Prints one JSON line of ms
 * figures since the JVM started.
 * Arguments: the task request JSON, then the ids of pre-created tasks (the first is the cold one).
 */
public final class WorkerColdStartProbe {
    public static void main(String[] args) throws Exception {
        long uptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
        long jvmStartNanos = System.nanoTime() - uptimeAtMain * 1_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("main", uptimeAtMain);

        // what WorkerRuntime.fromEnvironment does, with S3 and Lambda replaced by in-JVM substitutes
        Map<String, String> env = System.getenv();
        BrowserHost first = new BrowserHost(BrowserSettings.from(env)).launchInBackground();
        AwsSettings settings = AwsSettings.from(env);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
        AwsClients clients = new AwsClients(AwsClients.dynamoDb(settings, env), new InMemoryS3(settings.bucket()),
                S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build(),
                new RecordingLambda(settings.workerFunction()),
                SecretsManagerClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build());
        WorkerRuntime runtime = WorkerRuntime.create(clients, settings, env, first);
        WorkerHandler handler = new WorkerHandler(runtime);
        out.put("handlerReady", ManagementFactory.getRuntimeMXBean().getUptime());

        invoke(handler, args[1]);
        out.put("firstTaskDone", ManagementFactory.getRuntimeMXBean().getUptime());
        for (StartupTimeline.Stage stage : StartupTimeline.Stage.values()) {
            Long at = StartupTimeline.firstReached(stage);
            out.put(stage.name(), at == null ? -1 : (at - jvmStartNanos) / 1_000_000);
        }

        // the session's later tasks through the handler: each continues in the context its previous task kept warm
        List<Double> warm = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            long t = System.nanoTime();
            String status = invoke(handler, args[i]);
            warm.add((System.nanoTime() - t) / 1e6);
            if (!"task_completed".equals(status)) {
                throw new IllegalStateException("warm task ended " + status);
            }
        }
        runtime.executor().close();

        // the same task through the engine alone, also in a warm context: what the worker adds is the difference
        JsonNode request = Json.mapper().readTree(args[0]);
        BrowserSettings browser = BrowserSettings.from(env);
        WarmContexts contexts = new WarmContexts(browser, WarmSettings.from(env), Clock.systemUTC());
        PlaywrightEngine engine = new PlaywrightEngine(browser, Clock.systemUTC(), contexts);
        List<Double> engineOnly = new ArrayList<>();
        String version = null;
        try (BrowserHost host = new BrowserHost(browser)) {
            for (int i = 0; i < warm.size() + 2; i++) {
                long t = System.nanoTime();
                EngineListener store = EngineListener.discarding();
                String next = "v" + i;
                var outcome = engine.run(host, new ContextSpec(SessionOptions.defaults(), null, null, null, false,
                                new ContextSpec.Reuse("bench/engine", version, next)),
                        new ScriptedProgram(TaskRequestParser.parse(request), Json.mapper().createArrayNode(), store,
                                TaskControl.NONE, browser.actionTimeoutMs()),
                        store, TaskControl.NONE);
                version = next;
                if (outcome.error() != null) {
                    throw new IllegalStateException(outcome.error().message());
                }
                if (i >= 2) {
                    engineOnly.add((System.nanoTime() - t) / 1e6);
                }
            }
            contexts.closeAll(host);
        }
        out.put("warmHandlerMs", warm);
        out.put("engineOnlyMs", engineOnly);
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
        System.out.println("PROBE " + Json.mapper().writeValueAsString(out));
        System.exit(0);
    }

    private static String invoke(WorkerHandler handler, String taskId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(("{\"taskId\":\"" + taskId + "\"}")
                .getBytes(StandardCharsets.UTF_8)), out, new FakeLambdaContext("tabrunner-worker", 900_000));
        return Json.mapper().readTree(out.toByteArray()).path("status").asText();
    }
}
