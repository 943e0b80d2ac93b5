package dev.tabrunner.aws;

import com.sun.net.httpserver.HttpServer;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PlaywrightEngine;
import dev.tabrunner.engine.ScriptedProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.WarmContexts;
import dev.tabrunner.engine.WarmSettings;
import dev.tabrunner.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The training run of the worker's class-data archive (AppCDS): run once with
 * {@code -XX:ArchiveClassesAtExit=worker.jsa} on the worker's classpath, it loads what a cold start loads, so that
 * a worker started with {@code -XX:SharedArchiveFile=worker.jsa} maps those classes in instead of loading, verifying
 * and linking them one by one. Two parts: the Lambda handler taking a task event through the AWS SDK to a loopback
 * stand-in for DynamoDB that knows no task (the runtime, the SDK's clients, request and response, Jackson, the worker),
 * and one scripted task through the engine on a page served on loopback (the driver, Chromium, a context, the
 * actions, a screenshot). Needs nothing outside the machine. Built by {@code mvn package} into
 * {@code target/worker/worker.jsa} for local runs, and by the image's build for the image's own JVM (an archive
 * loads only in the JVM build that wrote it).
 */
public final class WorkerTraining {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerTraining.class);
    private static final String PAGE = "<!doctype html><html><body><form onsubmit=\"event.preventDefault();"
            + " document.querySelector('#out').textContent = 'sent'\"><input id=\"name\"><button id=\"send\">"
            + "Send</button></form><div id=\"out\"></div></body></html>";

    private WorkerTraining() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        // one attempt per call: the store answers at once here, there is nothing to retry
        System.setProperty("aws.maxAttempts", "1");
        HttpServer site = serve("text/html; charset=utf-8", PAGE);
        HttpServer store = serve("application/x-amz-json-1.0", "{}");
        try {
            Map<String, String> env = environment("http://127.0.0.1:" + store.getAddress().getPort());
            handlerPath(env);
            enginePath(env, "http://127.0.0.1:" + site.getAddress().getPort() + "/");
        } finally {
            site.stop(0);
            store.stop(0);
        }
        LOG.info("training run done in {} ms", (System.nanoTime() - start) / 1_000_000);
        // the driver's and Chromium's processes end with this JVM; exit without waiting on them
        System.exit(0);
    }

    /** A loopback server answering every request with the same body. */
    private static HttpServer serve(String contentType, String content) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = content.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    /**
     * The process environment, with every AWS endpoint on a loopback server that answers {@code {}}: to DynamoDB's
     * GetItem that is "no such item", so the handler's first store call completes (request and response) and the task
     * is found missing.
     */
    private static Map<String, String> environment(String endpoint) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(Map.of("TABRUNNER_DYNAMODB_ENDPOINT", endpoint, "TABRUNNER_S3_ENDPOINT", endpoint,
                "TABRUNNER_LAMBDA_ENDPOINT", endpoint, "TABRUNNER_SECRETSMANAGER_ENDPOINT", endpoint,
                "TABRUNNER_BUCKET", "training", "TABRUNNER_WORKER_FUNCTION", "training",
                "TABRUNNER_EGRESS_ALLOW", "127.0.0.1"));
        env.putIfAbsent("AWS_REGION", "us-east-1");
        // the SDK reads credentials from the process itself, not from this map
        if (!env.containsKey("AWS_ACCESS_KEY_ID")) {
            System.setProperty("aws.accessKeyId", "training");
            System.setProperty("aws.secretAccessKey", "training");
        }
        return env;
    }

    /** What the runtime interface client does on a cold start, up to the first store call (which fails here). */
    private static void handlerPath(Map<String, String> env) {
        WorkerRuntime runtime = WorkerRuntime.fromEnvironment(env);
        try {
            new WorkerHandler(runtime).handleRequest(new ByteArrayInputStream(
                    "{\"taskId\":\"training\"}".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("the training task event failed: {}", e.toString());
        } finally {
            runtime.executor().close();
        }
        // what the stores do with a row, without a table
        TaskRecord task = TaskRecord.created("training", "training", "training", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), Instant.now());
        try {
            Json.mapper().readValue(Json.mapper().writeValueAsString(task), TaskRecord.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One scripted task with the benchmark's steps, then a second one in the context the first kept warm. */
    private static void enginePath(Map<String, String> env, String url) throws IOException {
        BrowserSettings settings = BrowserSettings.from(env);
        WarmContexts warm = new WarmContexts(settings, WarmSettings.from(env), Clock.systemUTC());
        PlaywrightEngine engine = new PlaywrightEngine(settings, Clock.systemUTC(), warm);
        var request = TaskRequestParser.parse(Json.mapper().readTree("{\"url\":\"" + url + "\",\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Ada\"},{\"type\":\"click\",\"selector\":"
                + "\"#send\"},{\"type\":\"wait\",\"text\":\"sent\"},{\"type\":\"screenshot\"},{\"type\":\"evaluate\","
                + "\"script\":\"document.title\"}],\"content\":true}"));
        try (BrowserHost host = new BrowserHost(settings)) {
            String version = null;
            for (int i = 0; i < 2; i++) {
                EngineListener listener = EngineListener.discarding();
                String next = "training-" + i;
                EngineOutcome outcome = engine.run(host, new ContextSpec(dev.tabrunner.domain.SessionOptions
                                .defaults(), () -> null, null, null, false, new ContextSpec.Reuse("training/training",
                                version, next)),
                        new ScriptedProgram(request, Json.mapper().createArrayNode(), listener, TaskControl.NONE,
                                settings.actionTimeoutMs()), listener, TaskControl.NONE);
                if (outcome.error() != null) {
                    throw new IllegalStateException("the training task failed: " + outcome.error().message());
                }
                version = next;
            }
            warm.closeAll(host);
        }
    }
}
