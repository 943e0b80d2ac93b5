package dev.tabrunner.aws;

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
import dev.tabrunner.testing.InMemoryBlobStore;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.InMemoryS3;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker image without Docker, after {@code mvn package}: the paths the Dockerfile copies exist, and a fresh JVM
 * on exactly the image's classpath, with the image's environment (its /tmp moved to a temp dir), runs a task with
 * Chromium launched with the Lambda flags and Playwright's driver taken from the pre-extracted directory.
 */
class WorkerImageIT {
    /** The class-data archive {@code mvn package} writes (the image writes its own; see the Dockerfile). */
    private static final Path ARCHIVE = Path.of("target/worker/worker.jsa");
    private final DockerfileModel docker = DockerfileModel.read();

    @Test
    void everyPathTheDockerfileCopies_isProducedByTheBuild() throws IOException {
        for (String[] copy : docker.copies()) {
            assertThat(Path.of(docker.resolve(copy[0]))).as("COPY " + copy[0]).exists();
        }
        try (Stream<Path> jars = Files.list(Path.of("target/worker/lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("tabrunner-container-image-"))
                    .anyMatch(n -> n.startsWith("tabrunner-shared-"))
                    .anyMatch(n -> n.startsWith("aws-lambda-java-runtime-interface-client-"))
                    .anyMatch(n -> n.startsWith("playwright-"))
                    .noneMatch(n -> n.startsWith("driver-bundle"))
                    .noneMatch(n -> n.contains("DynamoDBLocal") || n.contains("junit"));
        }
        assertThat(Path.of("target/worker/playwright-driver/driver/package/cli.js")).exists();
    }

    @Test
    void theImagesClasspathAndEnvironment_runATask_withThePreinstalledDriverAndLambdaFlags() throws Exception {
        String prefix = "image-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        DynamoDbTables tables = new DynamoDbTables(prefix);
        tables.createMissing(DynamoDbLocalFixture.client());
        Instant now = Instant.now();
        Session session = new Session(UUID.randomUUID().toString(), "acme", SessionStatus.ACTIVE, now, now,
                SessionOptions.defaults(), null, null, null, null, 0);
        new DynamoDbSessionStore(DynamoDbLocalFixture.client(), tables).create(session);
        Path lambdaTmp = Files.createTempDirectory("lambda-tmp");
        try (FixtureServer fixtures = FixtureServer.start()) {
            TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), "acme", session.id(),
                    TaskRecord.KIND_SCRIPTED, Json.mapper().readTree("{\"url\":\"" + fixtures.url("/form.html")
                            + "\",\"actions\":[{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"Ada\"}]}"), now);
            new DynamoDbTaskStore(DynamoDbLocalFixture.client(), tables, new InMemoryBlobStore()).create(task);

            String classpath = String.join(File.pathSeparator, Path.of("target/worker/lib/*").toAbsolutePath()
                    .toString(), Path.of("target/test-classes").toAbsolutePath().toString(),
                    Path.of(InMemoryS3.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            Map<String, String> imageEnv = docker.envWithTmpAt(lambdaTmp);
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(List.of(imageEnv.get("JAVA_TOOL_OPTIONS").split("\\s+")));
            command.removeIf(a -> a.startsWith("-Dlogback.configurationFile"));
            // the image's class-data archive is the one this build's training run wrote for this JVM
            command.replaceAll(a -> a.replace("/opt/tabrunner/worker.jsa", ARCHIVE.toAbsolutePath().toString()));
            command.add("-Xlog:class+load=info");
            command.addAll(List.of("-cp", classpath, WorkerImageProbe.class.getName(), task.id()));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(imageEnv);
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            // the image's /opt/playwright-driver is this build's extracted driver
            pb.environment().put("PLAYWRIGHT_DRIVER_DIR", Path.of("target/worker/playwright-driver/driver")
                    .toAbsolutePath().toString());
            pb.environment().put("PLAYWRIGHT_NODEJS_PATH", Path.of("target/worker/playwright-driver/driver",
                    docker.resolve("${NODE_PLATFORM}"), "node").toAbsolutePath().toString());
            pb.environment().put("TABRUNNER_CHROMIUM_PATH", System.getenv().getOrDefault("TABRUNNER_CHROMIUM_PATH",
                    "/usr/bin/chromium"));
            pb.environment().putAll(Map.of("TABRUNNER_TABLE_PREFIX", prefix, "TABRUNNER_BUCKET", "image-bucket",
                    "TABRUNNER_WORKER_FUNCTION", "tabrunner-worker", "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "x", "TABRUNNER_EGRESS_ALLOW", "127.0.0.1",
                    "TABRUNNER_DYNAMODB_ENDPOINT",
                    DynamoDbLocalFixture.client().serviceClientConfiguration().endpointOverride().orElseThrow()
                            .toString()));
            // to a file, not a pipe: Chromium's crash handler can outlive the JVM and keep a pipe open
            Path log = Files.createTempFile("worker-probe", ".log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();
            JsonNode probe = Json.mapper().readTree(output.lines().filter(l -> l.startsWith("PROBE "))
                    .findFirst().orElseThrow(() -> new AssertionError(output)).substring(6));

            assertThat(probe.get("status").asText()).as(output).isEqualTo("task_completed");
            assertThat(probe.get("driverClass").asText()).endsWith("PreinstalledDriver");
            assertThat(probe.get("driverDir").asText()).endsWith("target/worker/playwright-driver/driver");
            assertThat(probe.get("extractedDrivers")).as("nothing extracted at run time").isEmpty();
            assertThat(probe.get("chromiumCommandLines")).isNotEmpty();
            String chromium = probe.get("chromiumCommandLines").get(0).asText();
            assertThat(chromium).contains("--no-sandbox", "--no-zygote", "--disable-dev-shm-usage", "--disable-gpu",
                    "--user-data-dir=" + lambdaTmp);
            // the archive matches the image's classpath: the worker's classes come from it, not from the jars
            assertThat(output).as("classes mapped from the archive").containsPattern(
                    "dev\\.tabrunner\\.worker\\.TaskWorker source: shared objects file");
        }
    }
}
