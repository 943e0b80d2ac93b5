package dev.tabrunner.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.aws.WorkerHandler;
import dev.tabrunner.aws.WorkerRuntime;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.PlaywrightEngine;
import dev.tabrunner.engine.ScriptedProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.FakeLambdaContext;
import dev.tabrunner.testing.InMemoryS3;
import dev.tabrunner.testing.RecordingLambda;
import org.slf4j.LoggerFactory;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run in a fresh JVM by {@link ColdStartBenchmark}: the worker handler's cold start in stages (JVM start, handler
 * built, Playwright driver ready, Chromium launched, first task done), then warm tasks through the handler and
 * the same task through the engine alone, in this process. Prints one JSON line of ms figures.
 * Arguments: the task request JSON, then the ids of pre-created tasks (the first is the cold one).
 */
public final class WorkerColdStartProbe {
    private static final Pattern LAUNCHED = Pattern.compile("launched in (\\d+) ms");

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("main", ManagementFactory.getRuntimeMXBean().getUptime());
        long[] launch = new long[2];
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                Matcher m = LAUNCHED.matcher(e.getFormattedMessage());
                if (m.find()) {
                    launch[0] = e.getTimeStamp() - jvmStart;
                    launch[1] = Long.parseLong(m.group(1));
                }
            }
        };
        capture.start();
        ((Logger) LoggerFactory.getLogger(BrowserHost.class)).addAppender(capture);

        Map<String, String> env = System.getenv();
        AwsSettings settings = AwsSettings.from(env);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
        AwsClients clients = new AwsClients(AwsClients.dynamoDb(settings, env), new InMemoryS3(settings.bucket()),
                S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build(),
                new RecordingLambda(settings.workerFunction()),
                SecretsManagerClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build());
        WorkerRuntime runtime = WorkerRuntime.create(clients, settings, env);
        WorkerHandler handler = new WorkerHandler(runtime);
        out.put("handlerReady", ManagementFactory.getRuntimeMXBean().getUptime());

        invoke(handler, args[1]);
        out.put("firstTaskDone", ManagementFactory.getRuntimeMXBean().getUptime());
        out.put("chromiumLaunched", launch[0]);
        out.put("driverReady", launch[0] - launch[1]);

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

        JsonNode request = Json.mapper().readTree(args[0]);
        PlaywrightEngine engine = new PlaywrightEngine(BrowserSettings.from(env), Clock.systemUTC());
        List<Double> engineOnly = new ArrayList<>();
        try (BrowserHost host = new BrowserHost(BrowserSettings.from(env))) {
            for (int i = 0; i < warm.size() + 2; i++) {
                long t = System.nanoTime();
                NoStore store = new NoStore();
                var outcome = engine.run(host, new ContextSpec(SessionOptions.defaults(), null, null, null, false),
                        new ScriptedProgram(TaskRequestParser.parse(request), Json.mapper().createArrayNode(), store,
                                TaskControl.NONE, BrowserSettings.from(env).actionTimeoutMs()),
                        store, TaskControl.NONE);
                if (outcome.error() != null) {
                    throw new IllegalStateException(outcome.error().message());
                }
                if (i >= 2) {
                    engineOnly.add((System.nanoTime() - t) / 1e6);
                }
            }
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

    /** The engine with nothing stored: what the worker adds on top is what the benchmark measures. */
    private static final class NoStore implements EngineListener {
        @Override
        public void actionCompleted(ArrayNode resultsSoFar, String url) {
        }

        @Override
        public Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes) {
            return new Artifact("a", kind, filename, contentType, bytes.length, "none");
        }

        @Override
        public Optional<UploadedBytes> uploadedFile(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<ResolvedCredential> credential(String credentialId) {
            return Optional.empty();
        }

        @Override
        public LiveSession openLiveView(Duration pause) {
            throw new UnsupportedOperationException();
        }
    }
}
