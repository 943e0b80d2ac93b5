package dev.tabrunner.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training run of {@code ./tabrunner run}'s class-data archive (AppCDS): run once by {@code mvn package} with
 * {@code -XX:ArchiveClassesAtExit=target/tabrunner-local.jsa} on the classpath {@code ./tabrunner run} uses, it
 * starts the whole local system on a temporary data directory, creates a session, runs a scripted task on a page
 * served on loopback, terminates the session and stops. A server started with the archive maps in what that loaded
 * (Micronaut, DynamoDB Local, the SDK, Jackson, Playwright, the worker) instead of loading it class by class.
 */
public final class LocalTraining {
    private static final String KEY = "training-admin-key";
    private static final String PAGE = "<!doctype html><html><body><input id=\"name\"><button id=\"send\""
            + " onclick=\"document.title = 'sent'\">Send</button></body></html>";

    private LocalTraining() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.start();
        Path data = Files.createTempDirectory("tabrunner-training");
        try (LocalServer server = LocalServer.start(Map.of("TABRUNNER_DATA_DIR", data.toString(),
                "TABRUNNER_PORT", "-1", "TABRUNNER_ADMIN_KEY", KEY, "TABRUNNER_EGRESS_ALLOW", "127.0.0.1"))) {
            HttpClient http = HttpClient.newHttpClient();
            String session = field(send(http, server, "POST", "/browser/sessions", "{}"), "id");
            send(http, server, "POST", "/browser/sessions/" + session + "/tasks", "{\"url\":\"http://127.0.0.1:"
                    + site.getAddress().getPort() + "/\",\"actions\":[{\"type\":\"type\",\"selector\":\"#name\","
                    + "\"text\":\"Ada\"},{\"type\":\"click\",\"selector\":\"#send\"},{\"type\":\"screenshot\"}]}");
            send(http, server, "GET", "/browser/sessions/" + session, null);
            send(http, server, "DELETE", "/browser/sessions/" + session, null);
        } finally {
            site.stop(0);
        }
        // Playwright's driver and Chromium end with this JVM
        System.exit(0);
    }

    private static String send(HttpClient http, LocalServer server, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(i, json.indexOf('"', i));
    }
}
