package dev.tabrunner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tabrunner.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A language model for tests: an HTTP server on loopback speaking OpenAI's Chat Completions protocol
 * ({@code POST /v1/chat/completions}), answering from a script, and recording every request so a test can assert
 * what the model was shown (and that no secret value ever reached it).
 *
 * <p>The script is a queue of {@link Reply replies}, each either fixed or a function of the request (so it can
 * pick an element index out of the page observation it was sent). When the queue is empty the fallback function
 * answers; without one the server answers 500 and counts an unexpected call.
 */
public final class ScriptedModelServer implements AutoCloseable {
    private static final Pattern INDEX_LINE = Pattern.compile("(?m)^\\s*\\[(\\d+)](.*)$");

    private final HttpServer server;
    private final Deque<Function<JsonNode, Reply>> queue = new ArrayDeque<>();
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final List<Throwable> scriptFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Function<JsonNode, Reply> fallback;

    private ScriptedModelServer(HttpServer server) {
        this.server = server;
    }

    public static ScriptedModelServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "scripted-model");
                t.setDaemon(true);
                return t;
            }));
            ScriptedModelServer s = new ScriptedModelServer(http);
            http.createContext("/", s::handle);
            http.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the scripted model server", e);
        }
    }

    /** The base URL to configure ({@code TABRUNNER_LLM_BASE_URL}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues fixed replies, answered in order. */
    public synchronized ScriptedModelServer then(Reply... replies) {
        for (Reply r : replies) {
            queue.add(request -> r);
        }
        return this;
    }

    /** Queues a reply computed from the request. */
    public synchronized ScriptedModelServer then(Function<JsonNode, Reply> reply) {
        queue.add(reply);
        return this;
    }

    /** Answers every request once the queue is empty. */
    public synchronized ScriptedModelServer otherwise(Function<JsonNode, Reply> reply) {
        this.fallback = reply;
        return this;
    }

    /** Forgets the script and the recorded requests. */
    public synchronized void reset() {
        queue.clear();
        requests.clear();
        authorizations.clear();
        unexpected.set(0);
        scriptFailures.clear();
        fallback = null;
    }

    public synchronized List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<String> authorizations() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(authorizations));
    }

    public synchronized int pending() {
        return queue.size();
    }

    /** Assertions or errors thrown by the script's functions (each answered with a 400). */
    public List<Throwable> scriptFailures() {
        return List.copyOf(scriptFailures);
    }

    /** Calls that found neither a queued reply nor a fallback. */
    public int unexpectedCalls() {
        return unexpected.get();
    }

    /** Every request body, as one string: the place to search for anything that must never reach a model. */
    public synchronized String everythingSent() {
        StringBuilder b = new StringBuilder();
        requests.forEach(r -> b.append(r.toString()).append('\n'));
        return b.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")
                    || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
                send(exchange, 404, "{\"error\":{\"message\":\"not found\"}}", Map.of());
                return;
            }
            JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
            Function<JsonNode, Reply> script;
            synchronized (this) {
                requests.add(request);
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                script = queue.isEmpty() ? fallback : queue.poll();
            }
            if (script == null) {
                unexpected.incrementAndGet();
                send(exchange, 500, "{\"error\":{\"message\":\"the script has no reply for this call\"}}",
                        Map.of());
                return;
            }
            Reply reply;
            try {
                reply = script.apply(request);
            } catch (RuntimeException | AssertionError e) {
                // an assertion inside a script: answer, so the caller sees a model error rather than a hang
                scriptFailures.add(e);
                send(exchange, 400, Json.mapper().createObjectNode().set("error", Json.mapper().createObjectNode()
                        .put("message", "the script failed: " + e.getMessage())).toString(), Map.of());
                return;
            }
            if (reply.delayMs() > 0) {
                try {
                    Thread.sleep(reply.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            send(exchange, reply.status(), reply.body(request).toString(), reply.headers());
        }
    }

    private static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- reading requests -------------------------------------------------------------------------------------

    /** The text of the last user message of a request (the agent's page observation). */
    public static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (m.path("role").asText().equals("user")) {
                JsonNode c = m.get("content");
                if (c.isTextual()) {
                    return c.textValue();
                }
                for (JsonNode part : c) {
                    if (part.path("type").asText().equals("text")) {
                        return part.path("text").asText();
                    }
                }
            }
        }
        return "";
    }

    /**
     * The index of the first element line ({@code [12] ...}) of the last observation that contains {@code text}.
     *
     * @throws AssertionError when no element line contains it
     */
    public static int index(JsonNode request, String text) {
        Matcher m = INDEX_LINE.matcher(lastUserText(request));
        while (m.find()) {
            if (m.group(2).contains(text)) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no element line mentions '" + text + "' in:\n" + lastUserText(request));
    }

    /** The tool results the request carries, in order. */
    public static List<String> toolResults(JsonNode request) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("tool")) {
                out.add(m.path("content").asText());
            }
        }
        return out;
    }

    // ---- building replies -------------------------------------------------------------------------------------

    /** One tool call of a reply: a tool name and its arguments as JSON text. */
    public record Call(String name, String arguments) {
        public static Call of(String name, String arguments) {
            return new Call(name, arguments);
        }
    }

    /**
     * One answer of the server.
     *
     * @param usage prompt and completion tokens to report; null to report about a token per four characters of
     *              the request and ten completion tokens
     */
    public record Reply(int status, String content, List<Call> calls, String finishReason, long[] usage,
                        Map<String, String> headers, long delayMs, String rawBody) {
        public static Reply tools(Call... calls) {
            return new Reply(200, null, List.of(calls), "tool_calls", null, Map.of(), 0, null);
        }

        public static Reply tool(String name, String arguments) {
            return tools(Call.of(name, arguments));
        }

        public static Reply text(String content) {
            return new Reply(200, content, List.of(), "stop", null, Map.of(), 0, null);
        }

        public static Reply error(int status, String message) {
            return new Reply(status, null, List.of(), null, null, Map.of(), 0,
                    Json.mapper().createObjectNode().set("error", Json.mapper().createObjectNode()
                            .put("message", message)).toString());
        }

        public Reply withUsage(long prompt, long completion) {
            return new Reply(status, content, calls, finishReason, new long[]{prompt, completion}, headers,
                    delayMs, rawBody);
        }

        public Reply withFinishReason(String reason) {
            return new Reply(status, content, calls, reason, usage, headers, delayMs, rawBody);
        }

        public Reply withContent(String text) {
            return new Reply(status, text, calls, finishReason, usage, headers, delayMs, rawBody);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, content, calls, finishReason, usage, h, delayMs, rawBody);
        }

        public Reply delayed(long ms) {
            return new Reply(status, content, calls, finishReason, usage, headers, ms, rawBody);
        }

        JsonNode body(JsonNode request) {
            if (rawBody != null) {
                try {
                    return Json.mapper().readTree(rawBody);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("id", "chatcmpl-test").put("object", "chat.completion").put("model",
                    request.path("model").asText());
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", finishReason);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (content == null) {
                message.putNull("content");
            } else {
                message.put("content", content);
            }
            if (!calls.isEmpty()) {
                ArrayNode tc = message.putArray("tool_calls");
                int n = 0;
                for (Call c : calls) {
                    tc.addObject().put("id", "call_" + System.nanoTime() + "_" + n++).put("type", "function")
                            .putObject("function").put("name", c.name()).put("arguments", c.arguments());
                }
            }
            long prompt = usage != null ? usage[0] : Math.max(1, request.toString().length() / 4);
            long completion = usage != null ? usage[1] : 10;
            body.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            return body;
        }
    }
}
