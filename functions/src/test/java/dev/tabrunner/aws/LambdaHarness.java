package dev.tabrunner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.adapter.aws.AwsAdapters;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.FakeLambdaContext;
import dev.tabrunner.testing.InMemoryS3;
import dev.tabrunner.testing.InMemorySecretsManager;
import dev.tabrunner.testing.RecordingLambda;
import io.micronaut.function.aws.LambdaApplicationContextBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A deployment's worth of Lambda functions in this JVM: the API handler (as the sessions, tasks and credentials
 * functions), the worker handler and the dead-letter handler, over DynamoDB Local (tables under a fresh prefix)
 * and in-JVM substitutes of S3, Lambda and Secrets Manager. Events go in and out as JSON bytes, as from Lambda.
 */
final class LambdaHarness {
    static final String BUCKET = "tabrunner-it-blobs";
    static final String WORKER = "tabrunner-it-worker";
    static final String KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/it";

    final InMemoryS3 s3 = new InMemoryS3(BUCKET);
    final RecordingLambda lambda = new RecordingLambda(WORKER);
    final InMemorySecretsManager secrets = new InMemorySecretsManager();
    final AwsSettings settings;
    final AwsClients clients;
    final DynamoDbTables tables;
    final ApiHandler api;
    final Map<String, String> env = new HashMap<>();

    LambdaHarness(Duration syncWait) {
        this(syncWait, new Object[0]);
    }

    /** @param singletons beans of the test's own for the API function (a language model's settings, ...) */
    LambdaHarness(Duration syncWait, Object... singletons) {
        String prefix = "lambda-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        tables = new DynamoDbTables(prefix);
        tables.createMissing(DynamoDbLocalFixture.client());
        env.put("TABRUNNER_TABLE_PREFIX", prefix);
        env.put("TABRUNNER_BUCKET", BUCKET);
        env.put("TABRUNNER_KMS_KEY_ID", KMS_KEY);
        env.put("TABRUNNER_WORKER_FUNCTION", WORKER);
        env.put("TABRUNNER_SYNC_WAIT_MS", Long.toString(syncWait.toMillis()));
        env.put("AWS_REGION", "eu-west-1");
        env.put("TABRUNNER_ACTION_TIMEOUT_MS", "5000");
        env.put("TABRUNNER_EGRESS_ALLOW", "127.0.0.1");
        settings = AwsSettings.from(env);
        S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1).credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))).build();
        clients = new AwsClients(DynamoDbLocalFixture.client(), s3, presigner, lambda, secrets);
        var context = new LambdaApplicationContextBuilder()
                .singletons(settings, clients, ApiSettings.forLambda(env)).singletons(singletons).build();
        api = new ApiHandler(context, "sessions");
    }

    /** The adapters the functions build from these clients (stores reading what the functions wrote). */
    AwsAdapters adapters() {
        return AwsAdapters.create(clients, settings);
    }

    /** A response of the API function, as API Gateway would read it. */
    record Response(int status, Map<String, String> headers, byte[] body, JsonNode raw) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /** Loads {@code apigw/<name>.json}, fills its {@code ${...}} placeholders and sends it to the API function. */
    Response call(String fixture, Map<String, String> vars) {
        return send(event(fixture, vars));
    }

    /** Like {@link #call}, with the event's body replaced by {@code body} (JSON text). */
    /** Like {@link #call}, with {@code query} as the request's query string. */
    Response callWithQuery(String fixture, Map<String, String> vars, String query) {
        try {
            ObjectNode event = (ObjectNode) Json.mapper().readTree(event(fixture, vars));
            event.put("rawQueryString", query);
            ObjectNode parameters = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            return send(Json.mapper().writeValueAsBytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response callWithBody(String fixture, Map<String, String> vars, String body) {
        try {
            ObjectNode event = (ObjectNode) Json.mapper().readTree(event(fixture, vars));
            event.put("body", body);
            event.put("isBase64Encoded", false);
            ((ObjectNode) event.get("headers")).put("content-length",
                    Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
            return send(Json.mapper().writeValueAsBytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] event(String fixture, Map<String, String> vars) {
        String text;
        try (InputStream in = LambdaHarness.class.getResourceAsStream("/apigw/" + fixture + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> v : vars.entrySet()) {
            text = text.replace("${" + v.getKey() + "}", v.getValue());
        }
        if (text.contains("${")) {
            throw new IllegalArgumentException("unfilled placeholder in " + fixture + ": " + text);
        }
        try {
            ObjectNode event = (ObjectNode) Json.mapper().readTree(text);
            if (event.has("body")) {
                byte[] body = event.get("isBase64Encoded").asBoolean()
                        ? Base64.getDecoder().decode(event.get("body").asText())
                        : event.get("body").asText().getBytes(StandardCharsets.UTF_8);
                ((ObjectNode) event.get("headers")).put("content-length", Integer.toString(body.length));
            }
            return Json.mapper().writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response send(byte[] event) {
        return send(event, 29_000);
    }

    /** Sends an event to an invocation with {@code remainingMillis} left before the function is cut off. */
    Response send(byte[] event, long remainingMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            api.handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext("tabrunner-sessions",
                    remainingMillis));
            JsonNode raw = Json.mapper().readTree(out.toByteArray());
            Map<String, String> headers = new HashMap<>();
            raw.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            raw.path("multiValueHeaders").fields().forEachRemaining(e -> headers.putIfAbsent(e.getKey(),
                    e.getValue().get(0).asText()));
            String body = raw.path("body").asText("");
            byte[] bytes = raw.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
            return new Response(raw.get("statusCode").asInt(), headers, bytes, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a raw (non-API Gateway) event to the API function and returns its JSON answer. */
    JsonNode invokeRaw(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            api.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out,
                    new FakeLambdaContext("tabrunner-sessions", 29_000));
            return Json.mapper().readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
