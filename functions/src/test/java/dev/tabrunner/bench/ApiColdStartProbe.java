package dev.tabrunner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabrunner.aws.ApiHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run in a fresh JVM on the API Lambda artifact alone ({@code tabrunner-api-lambda.jar} plus this class), with the
 * function's environment variables: does what Lambda does on a cold start (construct the handler, hand it
 * events) and prints one JSON line of timings, in ms since the JVM started, and the status of each answer.
 * Uses nothing but what the artifact contains.
 */
public final class ApiColdStartProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("main", uptime());
        ApiHandler handler = new ApiHandler();
        out.put("handlerReady", uptime());
        JsonNode health = send(handler, event("GET", "/health", null, null));
        out.put("firstEvent", uptime());
        out.put("healthStatus", health.get("statusCode").asInt());
        JsonNode bootstrap = send(handler, JSON.readTree("{\"bootstrapAdminKey\":true}"));
        String key = bootstrap.path("key").asText(null);
        out.put("bootstrapKeyIssued", key != null);
        long t = System.nanoTime();
        JsonNode created = send(handler, event("POST", "/browser/sessions", key, "{}"));
        out.put("firstSessionCreateMs", (System.nanoTime() - t) / 1_000_000.0);
        out.put("sessionCreateStatus", created.get("statusCode").asInt());
        t = System.nanoTime();
        JsonNode second = send(handler, event("POST", "/browser/sessions", key, "{}"));
        out.put("secondSessionCreateMs", (System.nanoTime() - t) / 1_000_000.0);
        out.put("secondSessionCreateStatus", second.get("statusCode").asInt());
        System.out.println("PROBE " + JSON.writeValueAsString(out));
        System.exit(0);
    }

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    static JsonNode event(String method, String path, String key, String body) throws IOException {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        if (key != null) {
            headers.put("authorization", "Bearer " + key);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        if (body != null) {
            headers.put("content-type", "application/json");
            event.put("body", body);
        }
        event.put("headers", headers);
        event.put("isBase64Encoded", false);
        event.put("requestContext", Map.of("http", Map.of("method", method, "path", path, "protocol", "HTTP/1.1",
                "sourceIp", "127.0.0.1", "userAgent", "probe"), "requestId", "probe", "stage", "$default",
                "timeEpoch", System.currentTimeMillis()));
        return JSON.valueToTree(event);
    }

    private static JsonNode send(ApiHandler handler, JsonNode event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
