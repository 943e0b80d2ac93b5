package dev.tabrunner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.adapter.dynamodb.DynamoDbSessionStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.adapter.dynamodb.DynamoDbTaskStore;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.FixtureServer;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cold starts of the Lambda functions, measured locally in fresh JVMs against DynamoDB Local (started here): the API
 * function from its shaded artifact with the function's JVM options (JVM start to the first API Gateway event
 * handled; without SnapStart, which only AWS provides), and the worker on the image's classpath, JVM options and
 * class-data archive (built by {@code mvn package}), in stages: JVM start, driver ready, Chromium launched, context
 * opened, first action done; then the warm per-task overhead of the worker handler over the engine alone. Prints
 * figures, asserts nothing. Needs {@code mvn package} first ({@code target/tabrunner-api-lambda.jar},
 * {@code ../container-image/target/worker}).
 */
public final class ColdStartBenchmark {
    /** The API functions' {@code JAVA_TOOL_OPTIONS} (infrastructure's ApiStack). */
    static final List<String> API_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
    /** The worker image's JVM options (container-image/Dockerfile), the archive added when it was built. */
    static final List<String> WORKER_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final Path WORKER_DIR = Path.of("../container-image/target/worker").toAbsolutePath().normalize();

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report();
        measure(report, Integer.getInteger("bench.coldRuns", 3), Integer.getInteger("bench.warmTasks", 10));
        report.print();
        System.exit(0);
    }

    static void measure(Report report, int runs, int warm) throws Exception {
        String dynamo = DynamoDbLocalFixture.client().serviceClientConfiguration().endpointOverride().orElseThrow()
                .toString();

        Map<String, List<Double>> api = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            new DynamoDbTables(prefix).createMissing(DynamoDbLocalFixture.client());
            List<String> command = new ArrayList<>(API_JVM);
            command.addAll(List.of("-cp", Path.of("target/tabrunner-api-lambda.jar").toAbsolutePath()
                    + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath(),
                    ApiColdStartProbe.class.getName()));
            JsonNode p = probe(command, env(prefix, dynamo));
            for (String stage : List.of("main", "handlerReady", "firstEvent")) {
                api.computeIfAbsent(stage, k -> new ArrayList<>()).add(p.get(stage).asDouble());
            }
        }

        Path archive = WORKER_DIR.resolve("worker.jsa");
        Map<String, List<Double>> worker = new LinkedHashMap<>();
        List<Double> handler = new ArrayList<>();
        List<Double> engine = new ArrayList<>();
        try (FixtureServer fixtures = FixtureServer.start()) {
            String request = "{\"url\":\"" + fixtures.url("/form.html") + "\",\"actions\":[{\"type\":\"type\","
                    + "\"selector\":\"#name\",\"text\":\"Ada\"}]}";
            for (int i = 0; i < runs; i++) {
                String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
                DynamoDbTables tables = new DynamoDbTables(prefix);
                tables.createMissing(DynamoDbLocalFixture.client());
                Instant now = Instant.now();
                Session session = new Session(UUID.randomUUID().toString(), "bench", SessionStatus.ACTIVE, now, now,
                        SessionOptions.defaults(), null, null, null, null, 0);
                new DynamoDbSessionStore(DynamoDbLocalFixture.client(), tables).create(session);
                List<String> command = new ArrayList<>(WORKER_JVM);
                if (Files.exists(archive)) {
                    command.add("-XX:SharedArchiveFile=" + archive);
                }
                // the image's classpath first (what the archive was made from), then the probe's own classes
                command.addAll(List.of("-cp", WORKER_DIR.resolve("lib") + File.separator + "*" + File.pathSeparator
                        + System.getProperty("java.class.path"), WorkerColdStartProbe.class.getName(), request));
                DynamoDbTaskStore tasks = new DynamoDbTaskStore(DynamoDbLocalFixture.client(), tables,
                        new dev.tabrunner.testing.InMemoryBlobStore());
                for (int t = 0; t < (i == runs - 1 ? warm + 1 : 1); t++) {
                    TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), "bench", session.id(),
                            TaskRecord.KIND_SCRIPTED, Json.mapper().readTree(request), now.plusMillis(t));
                    tasks.create(task);
                    command.add(task.id());
                }
                // the image's driver: extracted at build time, nothing extracted at run time
                Map<String, String> env = new java.util.HashMap<>(env(prefix, dynamo));
                Path driver = WORKER_DIR.resolve("playwright-driver/driver");
                env.put("PLAYWRIGHT_DRIVER_DIR", driver.toString());
                env.put("PLAYWRIGHT_NODEJS_PATH", driver.resolve("linux/node").toString());
                JsonNode p = probe(command, env);
                p.fieldNames().forEachRemaining(stage -> {
                    if (p.get(stage).isNumber()) {
                        worker.computeIfAbsent(stage, k -> new ArrayList<>()).add(p.get(stage).asDouble());
                    }
                });
                p.get("warmHandlerMs").forEach(n -> handler.add(n.asDouble()));
                p.get("engineOnlyMs").forEach(n -> engine.add(n.asDouble()));
            }
        }

        report.section("Cold starts, median of " + runs + " fresh JVMs (ms since the JVM started; no SnapStart)");
        report.atMost("worker: process start -> first action done", Report.median(worker.get("FIRST_ACTION_DONE")),
                "ms", 1500);
        report.figure("  stages: main / handler ready / driver ready / Chromium launched", String.format(
                "%.0f / %.0f / %.0f / %.0f", Report.median(worker.get("main")),
                Report.median(worker.get("handlerReady")), Report.median(worker.get("DRIVER_READY")),
                Report.median(worker.get("CHROMIUM_LAUNCHED"))));
        report.figure("  stages: context opened / first action done / task ended", String.format(
                "%.0f / %.0f / %.0f", Report.median(worker.get("CONTEXT_OPENED")),
                Report.median(worker.get("FIRST_ACTION_DONE")), Report.median(worker.get("firstTaskDone"))));
        report.note(Files.exists(archive) ? "  (worker JVM with the class-data archive " + archive.getFileName() + ")"
                : "  (no class-data archive at " + archive + ": run mvn package)");
        report.atMost("API function: first API Gateway event handled", Report.median(api.get("firstEvent")), "ms",
                1200);
        report.figure("  stages: main / handler ready / first event handled", String.format("%.0f / %.0f / %.0f",
                Report.median(api.get("main")), Report.median(api.get("handlerReady")),
                Report.median(api.get("firstEvent"))));
        report.section("The in-JVM worker path (Lambda handler, DynamoDB Local), " + handler.size()
                + " tasks of one session");
        report.figure("handler, warm context: p50", String.format("%.1f ms", Report.median(handler)));
        report.figure("engine alone, warm context: p50", String.format("%.1f ms", Report.median(engine)));
        report.figure("the worker's own cost per task (stores, state, checkpoints)", String.format("%.1f ms",
                Report.median(handler) - Report.median(engine)));
    }

    private static Map<String, String> env(String prefix, String dynamo) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("TABRUNNER_TABLE_PREFIX", prefix,
                "TABRUNNER_DYNAMODB_ENDPOINT", dynamo, "TABRUNNER_BUCKET", "bench-bucket",
                "TABRUNNER_WORKER_FUNCTION", "bench-worker", "TABRUNNER_FUNCTION", "sessions",
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "x",
                "TABRUNNER_LOG_LEVEL", "WARN", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
        // the benchmark's pages are on loopback, which the egress guard refuses unless allowed
        env.put("TABRUNNER_EGRESS_ALLOW", "127.0.0.1");
        return env;
    }

    private static JsonNode probe(List<String> args, Map<String, String> env) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // e.g. -Dbench.probeJvm=-XX:StartFlightRecording=filename=probe.jfr to profile the cold starts
        String jvm = System.getProperty("bench.probeJvm", "");
        if (!jvm.isBlank()) {
            command.addAll(List.of(jvm.trim().split("\\s+")));
        }
        command.addAll(args);
        // to a file, not a pipe: Chromium's crash handler can outlive the JVM and keep a pipe open
        Path log = java.nio.file.Files.createTempFile("cold-start-probe", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(300, TimeUnit.SECONDS);
        String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        if (!ended || p.exitValue() != 0) {
            throw new IllegalStateException("probe failed:\n" + output);
        }
        String line = output.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no probe output:\n" + output));
        return Json.mapper().readTree(line.substring(6));
    }

}
