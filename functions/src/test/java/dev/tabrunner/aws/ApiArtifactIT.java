package dev.tabrunner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API functions' artifact as built by {@code mvn package}: small, free of everything that runs only locally,
 * and working on its own: a fresh JVM with nothing but the jar serves API Gateway events against DynamoDB Local.
 */
class ApiArtifactIT {
    static final Path JAR = Path.of("target", "tabrunner-api-lambda.jar");
    private static final List<String> FORBIDDEN = List.of("com/microsoft/playwright/", "dev/tabrunner/engine/",
            "dev/tabrunner/worker/", "dev/tabrunner/local/", "com/amazonaws/services/dynamodbv2/local/",
            "com/almworks/sqlite4java/", "org/eclipse/jetty/", "io/netty/", "driver/", "org/mockito/");

    @Test
    void theArtifact_isSmall_andHoldsNoBrowserNoDriverAndNoLocalStore() throws IOException {
        assertThat(JAR).exists();
        long bytes = Files.size(JAR);
        System.out.printf("API Lambda artifact: %.1f MB (%s)%n", bytes / 1_048_576.0, JAR.toAbsolutePath());
        assertThat(bytes).isLessThanOrEqualTo(40L * 1_048_576);
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            jar.stream().map(e -> e.getName()).filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith))
                    .limit(20).forEach(offending::add);
            assertThat(jar.getEntry("dev/tabrunner/aws/ApiHandler.class")).isNotNull();
            assertThat(jar.getEntry("dev/tabrunner/aws/DeadLetterHandler.class")).isNotNull();
            assertThat(jar.getEntry("dev/tabrunner/aws/WorkerHandler.class")).isNull();
        }
        assertThat(offending).as("local-only classes in the Lambda artifact").isEmpty();
    }

    @Test
    void theArtifactAlone_servesApiGatewayEvents() throws Exception {
        String prefix = "artifact-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        new DynamoDbTables(prefix).createMissing(DynamoDbLocalFixture.client());
        JsonNode probe = ColdStart.runApiProbe(JAR, Path.of("target", "test-classes"), prefix,
                DynamoDbLocalFixture.client().serviceClientConfiguration().endpointOverride().orElseThrow()
                        .toString());
        assertThat(probe.get("healthStatus").asInt()).isEqualTo(200);
        assertThat(probe.get("bootstrapKeyIssued").asBoolean()).isTrue();
        assertThat(probe.get("sessionCreateStatus").asInt()).isEqualTo(201);
        assertThat(probe.get("secondSessionCreateStatus").asInt()).isEqualTo(201);
        System.out.println("API cold start probe: " + probe);
    }

    /** Starts the probe JVMs of the cold-start benchmark; shared with it. */
    static final class ColdStart {
        private ColdStart() {
        }

        static JsonNode runApiProbe(Path jar, Path probeClasses, String tablePrefix, String dynamoEndpoint)
                throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                    "-cp", jar.toAbsolutePath() + java.io.File.pathSeparator + probeClasses.toAbsolutePath(),
                    "dev.tabrunner.bench.ApiColdStartProbe");
            Map<String, String> env = pb.environment();
            env.put("TABRUNNER_FUNCTION", "sessions");
            env.put("TABRUNNER_TABLE_PREFIX", tablePrefix);
            env.put("TABRUNNER_DYNAMODB_ENDPOINT", dynamoEndpoint);
            env.put("TABRUNNER_BUCKET", "tabrunner-probe");
            env.put("TABRUNNER_WORKER_FUNCTION", "tabrunner-probe-worker");
            env.put("TABRUNNER_SYNC_WAIT_MS", "25000");
            // DynamoDB Local keeps tables per access key and region: the same as DynamoDbLocalFixture's client
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "x");
            env.put("AWS_SECRET_ACCESS_KEY", "x");
            env.put("TABRUNNER_LOG_LEVEL", "WARN");
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("the API probe failed:\n" + output);
            }
            return output.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
                    .map(l -> {
                        try {
                            return Json.mapper().readTree(l.substring(6));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }).orElseThrow(() -> new AssertionError("no probe output:\n" + output));
        }
    }
}
