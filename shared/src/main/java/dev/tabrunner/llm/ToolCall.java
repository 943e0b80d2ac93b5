package dev.tabrunner.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A tool call the model made.
 *
 * @param arguments the arguments as JSON; a text node holding the raw string when the model produced arguments
 *                  that are not valid JSON (a truncated answer does), so the caller can tell the model
 */
public record ToolCall(String id, String name, JsonNode arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
