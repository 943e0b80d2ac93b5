package dev.tabrunner.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** JSON request bodies read strictly, with errors that say where the problem is. */
public final class RequestBodies {
    /** Largest JSON body accepted by any endpoint (uploads have their own limit). */
    public static final int MAX_JSON_BYTES = 1_048_576;

    private RequestBodies() {
    }

    public static JsonNode parse(String body) {
        return parse(body, true);
    }

    /**
     * @param quoteParser whether the parser's own message (which may quote a token of the body) may be echoed;
     *                    false for bodies that carry secrets
     */
    public static JsonNode parse(String body, boolean quoteParser) {
        if (body == null || body.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        if (utf8Length(body) > MAX_JSON_BYTES) {
            throw new ApiException(413, "body_too_large", "JSON bodies are limited to " + MAX_JSON_BYTES + " bytes");
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject()) {
                throw new ApiException(400, "invalid_json", "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String detail = quoteParser ? ": " + e.getOriginalMessage() : "";
            throw new ApiException(400, "invalid_json", "malformed JSON" + where + detail,
                    at == null ? Map.of() : Map.of("line", at.getLineNr(), "column", at.getColumnNr()));
        }
    }

    /** The body's size on the wire (it came as UTF-8), counted up to just past the limit. */
    private static int utf8Length(String s) {
        if (s.length() > MAX_JSON_BYTES) {
            return s.length();
        }
        int bytes = 0;
        for (int i = 0; i < s.length() && bytes <= MAX_JSON_BYTES; i++) {
            char c = s.charAt(i);
            // a surrogate pair is 4 bytes: 2 for each half
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    public static JsonNode object(String body, Set<String> allowed) {
        return object(body, allowed, true);
    }

    public static JsonNode object(String body, Set<String> allowed, boolean quoteParser) {
        return allowOnly(parse(body, quoteParser), allowed);
    }

    /**
     * @return the object, when it holds no other fields than {@code allowed}
     * @throws ApiException naming the first other field
     */
    public static JsonNode allowOnly(JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(name, "unknown field; allowed fields are " + new TreeSet<>(allowed));
            }
        }
        return node;
    }

    public static String optionalString(JsonNode node, String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field, "must be a string");
        }
        if (v.textValue().length() > maxLength) {
            throw ApiException.badRequest(field, "must be at most " + maxLength + " characters");
        }
        return v.textValue();
    }
}
