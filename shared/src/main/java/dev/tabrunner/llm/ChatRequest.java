package dev.tabrunner.llm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One model turn to ask for.
 *
 * @param model           the provider's model id (see {@link ModelCatalog})
 * @param requireTool     true to make the model answer with at least one tool call
 * @param maxOutputTokens upper bound of the answer's length, in tokens
 * @param timeout         how long one attempt may take
 */
public record ChatRequest(String model, List<ChatMessage> messages, List<ToolSpec> tools, boolean requireTool,
                          int maxOutputTokens, Double temperature, Duration timeout) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be positive");
        }
        if (requireTool && tools.isEmpty()) {
            throw new IllegalArgumentException("requireTool needs tools");
        }
        timeout = timeout == null ? Duration.ofSeconds(120) : timeout;
    }
}
