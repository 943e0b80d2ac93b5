package dev.tabrunner.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Map;

/**
 * A JSON tree as block-style YAML. Every value that is a string is written as a JSON string literal, which is a
 * YAML double-quoted scalar with the same escapes: no quoting rules to get wrong, and any YAML 1.2 reader gets back
 * the same tree; keys are bare where nothing can misread them. Numbers, booleans and null are written as JSON
 * writes them; empty objects and arrays in flow style.
 */
final class YamlText {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern PLAIN_KEY = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    /** Words a YAML 1.1 reader takes for booleans or null. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("true", "false", "null", "yes", "no", "on",
            "off", "y", "n");

    private YamlText() {
    }

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        block(node, 0, out);
        return out.toString();
    }

    private static void block(JsonNode node, int indent, StringBuilder out) {
        if (node.isObject() && !node.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(" ".repeat(indent)).append(key(field.getKey())).append(':');
                value(field.getValue(), indent, out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                out.append(" ".repeat(indent)).append('-');
                value(item, indent, out);
            }
        } else {
            out.append(inline(node)).append('\n');
        }
    }

    /** After a key's colon or an item's dash: a nested block on the lines below, or a scalar on this line. */
    private static void value(JsonNode value, int indent, StringBuilder out) {
        if (value.isContainerNode() && !value.isEmpty()) {
            out.append('\n');
            block(value, indent + 2, out);
        } else {
            out.append(' ').append(inline(value)).append('\n');
        }
    }

    private static String inline(JsonNode node) {
        if (node.isObject()) {
            return "{}";
        }
        if (node.isArray()) {
            return "[]";
        }
        return node.isTextual() ? scalar(node.asText()) : node.toString();
    }

    /** A key as it reads best: bare when YAML cannot take it for anything but that string ({@code /paths} quoted). */
    private static String key(String text) {
        return PLAIN_KEY.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(java.util.Locale.ROOT))
                ? text : scalar(text);
    }

    private static String scalar(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
