package dev.tabrunner.adapter.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ChatMessage;
import dev.tabrunner.llm.ChatRequest;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.LanguageModelException;
import dev.tabrunner.llm.ToolCall;
import dev.tabrunner.llm.ToolSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Any endpoint speaking OpenAI's Chat Completions protocol with function tools: OpenAI, Azure OpenAI, vLLM,
 * Ollama, LiteLLM. Retries throttling (429) and provider faults (5xx, no answer) with exponential backoff and
 * jitter, honouring {@code Retry-After}; every other refusal is final.
 */
public final class OpenAiCompatibleLanguageModel implements LanguageModel {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleLanguageModel.class);
    private static final Set<Integer> RETRYABLE = Set.of(408, 409, 429, 500, 502, 503, 504);
    private static final int MAX_ERROR_TEXT = 500;

    private final URI endpoint;
    private final Supplier<String> apiKey;
    private final String apiKeyHeader;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    /**
     * @param baseUrl        the API root, e.g. {@code https://api.openai.com/v1} or an Azure deployment URL with its
     *                       {@code ?api-version=}; {@code /chat/completions} is appended to the path
     * @param apiKey         the key, read on every call so a rotated key takes effect; may supply null (no auth)
     * @param apiKeyHeader   {@code Authorization} (sent as {@code Bearer <key>}) or a header that takes the bare key,
     *                       such as Azure's {@code api-key}
     * @param maxAttempts    attempts per call, at least 1
     * @param initialBackoff wait before the first retry; doubled each time up to {@code maxBackoff}
     */
    public OpenAiCompatibleLanguageModel(URI baseUrl, Supplier<String> apiKey, String apiKeyHeader, HttpClient http,
                                         int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.endpoint = chatCompletions(baseUrl);
        this.apiKey = apiKey;
        this.apiKeyHeader = apiKeyHeader == null || apiKeyHeader.isBlank() ? "Authorization" : apiKeyHeader;
        this.http = http;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    static URI chatCompletions(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!path.endsWith("/chat/completions")) {
            path = path + "/chat/completions";
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path
                + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(requestBody(request));
        } catch (JsonProcessingException e) {
            throw new LanguageModelException("could not encode the chat request", 0, false, e);
        }
        LanguageModelException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> r = http.send(httpRequest(body, request.timeout()),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() / 100 == 2) {
                    return parse(r.body());
                }
                last = new LanguageModelException("the model endpoint answered " + r.statusCode() + ": "
                        + errorText(r.body()), r.statusCode(), RETRYABLE.contains(r.statusCode()), null);
                if (!last.retryable()) {
                    throw last;
                }
                wait = retryAfter(r).orElse(backoff(attempt));
            } catch (IOException e) {
                last = new LanguageModelException("the model endpoint could not be reached: "
                        + e.getClass().getSimpleName(), 0, true, e);
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LanguageModelException("interrupted while waiting for the model", 0, true, e);
            }
            if (attempt < maxAttempts) {
                LOG.info("model call attempt {} of {} failed ({}); retrying in {} ms", attempt, maxAttempts,
                        last.status() == 0 ? "no answer" : last.status(), wait.toMillis());
                sleep(wait);
            }
        }
        throw last;
    }

    private HttpRequest httpRequest(byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String key = apiKey.get();
        if (key != null && !key.isBlank()) {
            if (apiKeyHeader.equalsIgnoreCase("Authorization")) {
                b.header("Authorization", "Bearer " + key);
            } else {
                b.header(apiKeyHeader, key);
            }
        }
        return b.build();
    }

    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(base, maxBackoff.toMillis());
        // full jitter spreads the retries of many workers throttled at once
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private java.util.Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v.trim());
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }).map(d -> d.compareTo(maxBackoff) > 0 ? maxBackoff : d);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LanguageModelException("interrupted while waiting to retry the model", 0, true, e);
        }
    }

    /** The provider's own error message, bounded; the body never holds our key. */
    private static String errorText(String body) {
        String text = body == null ? "" : body;
        try {
            JsonNode n = Json.mapper().readTree(text);
            JsonNode m = n == null ? null : n.at("/error/message");
            if (m != null && m.isTextual()) {
                text = m.textValue();
            } else if (n != null && n.path("error").isTextual()) {
                text = n.get("error").textValue();
            }
        } catch (JsonProcessingException e) {
            // not JSON: quote it as is
        }
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
    }

    static ObjectNode requestBody(ChatRequest request) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.add(message(m));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name()).put("description", t.description()).set("parameters", t.parameters());
            }
            body.put("tool_choice", request.requireTool() ? "required" : "auto");
        }
        body.put("max_tokens", request.maxOutputTokens());
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        return body;
    }

    private static ObjectNode message(ChatMessage m) {
        ObjectNode out = Json.mapper().createObjectNode();
        switch (m.role()) {
            case SYSTEM -> out.put("role", "system").put("content", m.text());
            case USER -> {
                out.put("role", "user");
                if (m.image() == null) {
                    out.put("content", m.text());
                } else {
                    ArrayNode parts = out.putArray("content");
                    parts.addObject().put("type", "text").put("text", m.text());
                    parts.addObject().put("type", "image_url").putObject("image_url")
                            .put("url", "data:" + m.image().mediaType() + ";base64," + m.image().base64());
                }
            }
            case ASSISTANT -> {
                out.put("role", "assistant");
                if (m.text() == null || m.text().isEmpty()) {
                    out.putNull("content");
                } else {
                    out.put("content", m.text());
                }
                if (!m.toolCalls().isEmpty()) {
                    ArrayNode calls = out.putArray("tool_calls");
                    for (ToolCall c : m.toolCalls()) {
                        String args = c.arguments().isTextual() ? c.arguments().textValue()
                                : c.arguments().toString();
                        calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                                .put("name", c.name()).put("arguments", args);
                    }
                }
            }
            case TOOL -> out.put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.text());
            default -> throw new IllegalStateException("unknown role " + m.role());
        }
        return out;
    }

    static ChatResponse parse(String raw) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(raw);
        } catch (JsonProcessingException e) {
            throw new LanguageModelException("the model endpoint answered with something that is not JSON", 200,
                    true, e);
        }
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new LanguageModelException("the model endpoint answered without choices", 200, true, null);
        }
        JsonNode message = choice.path("message");
        String text = message.path("content").isTextual() ? message.get("content").textValue() : "";
        List<ToolCall> calls = new ArrayList<>();
        int n = 0;
        for (JsonNode c : message.path("tool_calls")) {
            JsonNode fn = c.path("function");
            String id = c.path("id").asText("");
            calls.add(new ToolCall(id.isEmpty() ? "call_" + n : id, fn.path("name").asText(""),
                    arguments(fn.get("arguments"))));
            n++;
        }
        JsonNode usage = body.path("usage");
        return new ChatResponse(text, calls, usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0), stopReason(choice.path("finish_reason").asText("")));
    }

    private static JsonNode arguments(JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return Json.mapper().createObjectNode();
        }
        if (raw.isObject()) {
            return raw;
        }
        String s = raw.asText();
        if (s.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode parsed = Json.mapper().readTree(s);
            return parsed == null ? new TextNode(s) : parsed;
        } catch (JsonProcessingException e) {
            return new TextNode(s);
        }
    }

    private static ChatResponse.StopReason stopReason(String finish) {
        return switch (finish) {
            case "stop" -> ChatResponse.StopReason.END_TURN;
            case "tool_calls", "function_call" -> ChatResponse.StopReason.TOOL_USE;
            case "length" -> ChatResponse.StopReason.MAX_TOKENS;
            case "content_filter" -> ChatResponse.StopReason.CONTENT_FILTERED;
            default -> ChatResponse.StopReason.OTHER;
        };
    }
}
