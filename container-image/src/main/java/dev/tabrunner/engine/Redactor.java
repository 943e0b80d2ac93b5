package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Replaces secret values that a task touched (a vault password, a TOTP secret or code) wherever they would leave
 * the engine: in {@code evaluate} results and in error messages. Short values are ignored so that a one-letter
 * password cannot blank out every result.
 */
final class Redactor {
    static final String MARKER = "[REDACTED]";
    private static final int MIN_LENGTH = 4;

    private final List<String> secrets = new ArrayList<>();

    void add(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MARKER);
        }
        return out;
    }

    JsonNode redact(JsonNode node) {
        if (secrets.isEmpty() || node == null) {
            return node;
        }
        if (node.isTextual()) {
            return new TextNode(redact(node.textValue()));
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(n -> copy.add(redact(n)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(redact(e.getKey()), redact(e.getValue()));
            }
            return copy;
        }
        return node;
    }
}
