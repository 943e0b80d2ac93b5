package dev.tabrunner.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool the model may call.
 *
 * @param parameters JSON Schema of the arguments (an object schema)
 */
public record ToolSpec(String name, String description, JsonNode parameters) {
    /** What both OpenAI and Bedrock accept as a tool name. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool names are 1-64 letters, digits, '_' or '-': " + name);
        }
        if (!parameters.isObject()) {
            throw new IllegalArgumentException("tool parameters must be a JSON Schema object");
        }
    }
}
