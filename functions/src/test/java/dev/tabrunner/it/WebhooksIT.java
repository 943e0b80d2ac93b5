package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tabrunner.json.Json;
import dev.tabrunner.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks end to end on the local server: registered by a tenant's admin, fed by every task's transitions, signed,
 * delivered through the egress guard by the outbox's thread.
 */
class WebhooksIT {
    private final TestSystem sys = TestSystem.get();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer receiver;

    private record Received(String body, String timestamp, String signature, String eventId) {
    }

    WebhooksIT() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new Received(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.EVENT_HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private List<JsonNode> eventsOf(String taskId, int atLeast) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> mine = received.stream().map(r -> json(r.body()))
                    .filter(e -> e.at("/data/taskId").asText().equals(taskId)).toList();
            if (mine.size() >= atLeast) {
                return mine;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + atLeast + " events of " + taskId + ": " + received);
    }

    @Test
    void aTenantsEndpoint_receivesSignedEventsOfItsTasks_andNothingOnceDeleted() throws Exception {
        Api admin = sys.newTenant("admin");
        var created = admin.post("/admin/webhooks", "{\"url\":\"" + hookUrl() + "\",\"description\":\"ci\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        JsonNode listed = admin.get("/admin/webhooks").json().get("webhooks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();

        String session = sys.newSession(admin);
        var task = admin.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"evaluate\",\"script\":\"1+1\"}]}");
        assertThat(task.status()).isEqualTo(201);
        String taskId = task.json().get("taskId").asText();

        List<JsonNode> events = eventsOf(taskId, 2);
        assertThat(events).extracting(e -> e.at("/data/event").asText()).containsExactly("started", "completed");
        assertThat(events.get(1).get("type").asText()).isEqualTo("task.updated");
        assertThat(events.get(1).at("/data/status").asText()).isEqualTo("task_completed");
        assertThat(events.get(1).at("/data/dialect").asText()).isEqualTo("native");
        for (Received r : received) {
            assertThat(r.signature()).isEqualTo(WebhookSignature.sign(secret, Long.parseLong(r.timestamp()),
                    r.body()));
            assertThat(r.eventId()).isEqualTo(Json.mapper().readTree(r.body()).get("id").asText());
        }

        assertThat(admin.delete("/admin/webhooks/" + created.json().get("id").asText()).status()).isEqualTo(204);
        int before = received.size();
        var later = admin.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"2\"}]}");
        assertThat(later.status()).isEqualTo(201);
        Thread.sleep(2_500);
        assertThat(received).hasSize(before);
    }

    @Test
    void anInternalEndpoint_isRefused_andUsersCannotManageWebhooks() {
        Api admin = sys.newTenant("admin");
        var metadata = admin.post("/admin/webhooks", "{\"url\":\"http://169.254.169.254/latest\"}");
        assertThat(metadata.status()).isEqualTo(403);
        assertThat(metadata.json().at("/error/code").asText()).isEqualTo("destination_blocked");
        assertThat(admin.post("/admin/webhooks", "{\"url\":\"ftp://example.com/x\"}").status()).isEqualTo(400);
        assertThat(admin.post("/admin/webhooks", "{\"url\":\"" + hookUrl() + "\",\"events\":[\"exploded\"]}")
                .status()).isEqualTo(400);

        Api user = sys.newTenant("user");
        assertThat(user.post("/admin/webhooks", "{\"url\":\"" + hookUrl() + "\"}").status()).isEqualTo(403);
        assertThat(user.get("/admin/webhooks").status()).isEqualTo(403);
    }
}
