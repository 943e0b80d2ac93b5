package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

/** Shortens what the agent keeps and shows: its state is stored with the task (a DynamoDB item holds 400 KB). */
final class Clip {
    /** A tool result as the model's memory keeps it. */
    static final int MAX_TOOL_RESULT = 4000;

    private Clip() {
    }

    static String text(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** A copy with every string shortened: a long text typed is in the replay list, not in every step. */
    static JsonNode strings(JsonNode node, int max) {
        if (node.isTextual()) {
            return Json.mapper().getNodeFactory().textNode(text(node.textValue(), max));
        }
        if (node.isContainerNode()) {
            JsonNode copy = node.deepCopy();
            if (copy.isObject()) {
                ((ObjectNode) copy).fields().forEachRemaining(e -> e.setValue(strings(e.getValue(), max)));
            } else {
                ArrayNode array = (ArrayNode) copy;
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, strings(array.get(i), max));
                }
            }
            return copy;
        }
        return node;
    }
}
