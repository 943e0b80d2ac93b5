package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A bare CDP client, message by message: what a hand-written client (or an attacker) would send the gateway. */
final class CdpSocket implements WebSocket.Listener, AutoCloseable {
    private final Map<Long, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private CdpSocket(String url) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this)
                .get(20, TimeUnit.SECONDS);
    }

    static CdpSocket open(String url) throws Exception {
        return new CdpSocket(url);
    }

    /** Sends one command and waits for its answer (its {@code result} or {@code error}). */
    JsonNode call(String sessionId, String method, String paramsJson) throws Exception {
        long id = ids.incrementAndGet();
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("id", id);
        m.put("method", method);
        m.set("params", Json.mapper().readTree(paramsJson));
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        socket.sendText(m.toString(), true).get(10, TimeUnit.SECONDS);
        return answer.get(60, TimeUnit.SECONDS);
    }

    JsonNode call(String method, String paramsJson) throws Exception {
        return call(null, method, paramsJson);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode m = Json.mapper().readTree(partial.toString());
                if (m.has("id")) {
                    CompletableFuture<JsonNode> f = answers.remove(m.get("id").asLong());
                    if (f != null) {
                        f.complete(m);
                    }
                } else {
                    events.add(m);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closedWith.complete(statusCode);
        answers.values().forEach(f -> f.completeExceptionally(new IOException("closed " + statusCode)));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closedWith.completeExceptionally(error);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}
