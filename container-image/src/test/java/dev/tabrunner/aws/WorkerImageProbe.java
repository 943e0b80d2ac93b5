package dev.tabrunner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Run in a fresh JVM on the image's classpath ({@code target/worker/lib}) with the image's environment: builds the
 * worker the way the handler's no-argument constructor does (from the environment; S3 and Lambda replaced by
 * in-JVM substitutes, DynamoDB Local through the endpoint variable), runs one task, and reports what the image
 * needs to be true: which Playwright driver was used, the Chromium command line, what was written outside /tmp.
 */
public final class WorkerImageProbe {
    public static void main(String[] args) {
        try {
            run(args[0]);
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            System.exit(1);
        }
    }

    private static void run(String taskId) throws Exception {
        Map<String, String> env = System.getenv();
        AwsSettings settings = AwsSettings.from(env);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
        AwsClients clients = new AwsClients(AwsClients.dynamoDb(settings, env), new InMemoryS3(settings.bucket()),
                S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build(),
                new RecordingLambda(settings.workerFunction()),
                SecretsManagerClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build());
        WorkerHandler handler = new WorkerHandler(WorkerRuntime.create(clients, settings, env));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(("{\"taskId\":\"" + taskId + "\"}")
                .getBytes(StandardCharsets.UTF_8)), out, new FakeLambdaContext("tabrunner-worker", 900_000));
        JsonNode answer = Json.mapper().readTree(out.toByteArray());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", answer.path("status").asText());
        Class<?> driverType = Class.forName("com.microsoft.playwright.impl.driver.Driver");
        Object driver = driverType.getMethod("ensureDriverInstalled", Map.class, Boolean.class)
                .invoke(null, Map.of(), false);
        report.put("driverClass", driver.getClass().getName());
        report.put("driverDir", driverType.getMethod("driverDir").invoke(driver).toString());
        report.put("chromiumCommandLines", chromiumCommandLines());
        report.put("extractedDrivers", extractedDrivers(Path.of(System.getProperty("java.io.tmpdir"))));
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
        System.out.println("PROBE " + Json.mapper().writeValueAsString(report));
    }

    /** Command lines of this JVM's Chromium processes (descendants through the Playwright driver). */
    private static List<String> chromiumCommandLines() {
        List<String> out = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(p -> {
            try {
                byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
                if (cmd.contains("chromium") && cmd.contains("--remote-debugging-pipe")) {
                    out.add(cmd);
                }
            } catch (IOException e) {
                // the process ended meanwhile
            }
        });
        return out;
    }

    private static List<String> extractedDrivers(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("playwright-java-")).toList();
        }
    }
}
