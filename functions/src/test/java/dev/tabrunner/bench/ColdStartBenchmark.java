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
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cold starts of the Lambda functions, measured locally in fresh JVMs against DynamoDB Local (started here):
 * the API function from its shaded artifact (JVM start to the first API Gateway event handled; without SnapStart,
 * which only AWS provides), and the worker in stages (JVM start, driver ready, Chromium launched, first action
 * done), plus the warm per-task overhead of the worker handler over the engine alone. Prints figures, asserts
 * nothing. Run with {@code mvn -pl functions exec:exec@cold-start} after {@code mvn package}.
 */
public final class ColdStartBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.coldRuns", 3);
        int warm = Integer.getInteger("bench.warmTasks", 10);
        String dynamo = DynamoDbLocalFixture.client().serviceClientConfiguration().endpointOverride().orElseThrow()
                .toString();

        List<Double> apiFirst = new ArrayList<>();
        List<Double> apiMain = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            new DynamoDbTables(prefix).createMissing(DynamoDbLocalFixture.client());
            JsonNode p = probe(List.of("-cp", Path.of("target/tabrunner-api-lambda.jar").toAbsolutePath()
                    + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath(),
                    ApiColdStartProbe.class.getName()), env(prefix, dynamo));
            apiMain.add(p.get("main").asDouble());
            apiFirst.add(p.get("firstEvent").asDouble());
        }

        try (FixtureServer fixtures = FixtureServer.start()) {
            String request = "{\"url\":\"" + fixtures.url("/form.html") + "\",\"actions\":[{\"type\":\"type\","
                    + "\"selector\":\"#name\",\"text\":\"Ada\"}]}";
            List<Double> main = new ArrayList<>();
            List<Double> driver = new ArrayList<>();
            List<Double> chromium = new ArrayList<>();
            List<Double> first = new ArrayList<>();
            List<Double> handler = new ArrayList<>();
            List<Double> engine = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
                DynamoDbTables tables = new DynamoDbTables(prefix);
                tables.createMissing(DynamoDbLocalFixture.client());
                Instant now = Instant.now();
                Session session = new Session(UUID.randomUUID().toString(), "bench", SessionStatus.ACTIVE, now, now,
                        SessionOptions.defaults(), null, null, null, null, 0);
                new DynamoDbSessionStore(DynamoDbLocalFixture.client(), tables).create(session);
                List<String> command = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                        WorkerColdStartProbe.class.getName(), request));
                DynamoDbTaskStore tasks = new DynamoDbTaskStore(DynamoDbLocalFixture.client(), tables,
                        new dev.tabrunner.testing.InMemoryBlobStore());
                for (int t = 0; t < (i == runs - 1 ? warm + 1 : 1); t++) {
                    TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), "bench", session.id(),
                            TaskRecord.KIND_SCRIPTED, Json.mapper().readTree(request), now.plusMillis(t));
                    tasks.create(task);
                    command.add(task.id());
                }
                JsonNode p = probe(command, env(prefix, dynamo));
                main.add(p.get("main").asDouble());
                driver.add(p.get("driverReady").asDouble());
                chromium.add(p.get("chromiumLaunched").asDouble());
                first.add(p.get("firstTaskDone").asDouble());
                p.get("warmHandlerMs").forEach(n -> handler.add(n.asDouble()));
                p.get("engineOnlyMs").forEach(n -> engine.add(n.asDouble()));
            }
            System.out.println();
            System.out.printf("Cold starts, median of %d fresh JVMs (ms since JVM start, this machine, no SnapStart)%n",
                    runs);
            System.out.printf("  API function  main() entered %6.0f   first API Gateway event handled %6.0f%n",
                    median(apiMain), median(apiFirst));
            System.out.printf("  worker        main() entered %6.0f   driver ready %6.0f   Chromium launched %6.0f"
                    + "   first action done %6.0f%n", median(main), median(driver), median(chromium), median(first));
            System.out.printf("Warm worker, %d tasks (navigate + type): handler p50 %.1f ms, engine alone p50 %.1f ms,"
                    + " overhead %.1f ms per task%n", handler.size(), median(handler), median(engine),
                    median(handler) - median(engine));
        }
        System.exit(0);
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
