package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.http.RequestProblem;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.json.Json;
import dev.tabrunner.json.JsonNumbers;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A v2 request body read field by field the way browser-use's service (pydantic) reads it: every problem collected
 * and reported at once as {@code {"loc", "msg", "type"}}. Unlike that service it refuses fields it does not know, so
 * that nothing a caller sends is silently ignored.
 */
final class V2Body {
    static final int MAX_METADATA_PAIRS = 10;

    private final ObjectNode body;
    private final List<Object> at;
    private final List<RequestProblem> problems;

    private V2Body(ObjectNode body, List<Object> at, List<RequestProblem> problems) {
        this.body = body;
        this.at = at;
        this.problems = problems;
    }

    /**
     * Reads a raw body; an absent body is an empty object when {@code optional}.
     *
     * @throws RequestProblems when it is not a JSON object
     */
    static V2Body parse(String raw, boolean optional, Set<String> fields) {
        if (raw != null && raw.length() > RequestBodies.MAX_JSON_BYTES) {
            throw new ApiException(413, "body_too_large", "JSON bodies are limited to " + RequestBodies.MAX_JSON_BYTES
                    + " bytes");
        }
        JsonNode root;
        try {
            root = raw == null || raw.isBlank() ? null : Json.mapper().readTree(raw);
        } catch (JsonProcessingException e) {
            throw RequestProblems.of(List.of("body"), "JSON decode error", "json_invalid");
        }
        if (root == null && optional) {
            root = Json.mapper().createObjectNode();
        }
        if (root == null) {
            throw RequestProblems.of(List.of("body"), "Field required", "missing");
        }
        if (!root.isObject()) {
            throw RequestProblems.of(List.of("body"), "Input should be a valid dictionary or object to extract fields"
                    + " from", "model_attributes_type");
        }
        V2Body b = new V2Body((ObjectNode) root, List.of("body"), new ArrayList<>());
        b.allowOnly(fields);
        return b;
    }

    /** The object at {@code field}, read with the same problem list; empty when absent or null. */
    Optional<V2Body> object(String field, Set<String> fields) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            problem(field, "Input should be a valid dictionary or object to extract fields from",
                    "model_attributes_type");
            return Optional.empty();
        }
        V2Body inner = new V2Body((ObjectNode) v, loc(field), problems);
        inner.allowOnly(fields);
        return Optional.of(inner);
    }

    /** @throws RequestProblems listing every problem found so far, if any */
    void check() {
        if (!problems.isEmpty()) {
            throw new RequestProblems(problems);
        }
    }

    /** The field's JSON as given, or null. */
    JsonNode raw(String field) {
        return body.get(field);
    }

    boolean has(String field) {
        return body.has(field);
    }

    boolean hasValue(String field) {
        return body.hasNonNull(field);
    }

    List<Object> loc(Object... more) {
        List<Object> out = new ArrayList<>(at);
        out.addAll(List.of(more));
        return out;
    }

    void problem(String field, String msg, String type) {
        problems.add(new RequestProblem(loc(field), msg, type));
    }

    /** A field this server does not offer, refused when set to anything but its default. */
    void notOffered(String field, boolean isDefault, String why) {
        if (body.has(field) && !isDefault) {
            problem(field, "Value error, not offered by this server: " + why, "value_error");
        }
    }

    private void allowOnly(Set<String> fields) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                problem(name, "Extra inputs are not permitted", "extra_forbidden");
            }
        }
    }

    String string(String field, boolean required, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problem(field, "Field required", "missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            problem(field, "Input should be a valid string", "string_type");
            return null;
        }
        if (v.textValue().length() > max) {
            problem(field, "String should have at most " + max + " characters", "string_too_long");
            return null;
        }
        return v.textValue();
    }

    /** A string that must be one of {@code options}; {@code fallback} when absent. */
    String choice(String field, List<String> options, String fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || !options.contains(v.textValue())) {
            problem(field, "Input should be " + String.join(", ", options.stream().map(o -> "'" + o + "'")
                    .toList()), "enum");
            return fallback;
        }
        return v.textValue();
    }

    Boolean bool(String field, Boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problem(field, "Input should be a valid boolean", "bool_type");
            return fallback;
        }
        return v.booleanValue();
    }

    Integer integer(String field, Integer fallback, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        Optional<BigInteger> n = v.isNumber() ? JsonNumbers.integral(v) : Optional.empty();
        if (n.isEmpty()) {
            problem(field, "Input should be a valid integer", "int_type");
            return fallback;
        }
        if (n.get().compareTo(BigInteger.valueOf(min)) < 0) {
            problem(field, "Input should be greater than or equal to " + min, "greater_than_equal");
            return fallback;
        }
        if (n.get().compareTo(BigInteger.valueOf(max)) > 0) {
            problem(field, "Input should be less than or equal to " + max, "less_than_equal");
            return fallback;
        }
        return n.get().intValueExact();
    }

    List<String> strings(String field, int maxItems, int maxLength) {
        List<String> out = new ArrayList<>();
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problem(field, "Input should be a valid list", "list_type");
            return out;
        }
        if (v.size() > maxItems) {
            problem(field, "List should have at most " + maxItems + " items after validation, not " + v.size(),
                    "too_long");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual() || item.textValue().isEmpty() || item.textValue().length() > maxLength) {
                problems.add(new RequestProblem(loc(field, i), "Input should be a valid string of 1 to " + maxLength
                        + " characters", "string_type"));
            } else {
                out.add(item.textValue());
            }
        }
        return out;
    }

    /**
     * A string-to-string dictionary; values are never quoted in messages (secrets).
     *
     * @param maxPairs the most pairs it may hold
     */
    Map<String, String> dictionary(String field, int maxPairs, int maxKey, int maxValue) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            problem(field, "Input should be a valid dictionary", "dict_type");
            return out;
        }
        if (v.size() > maxPairs) {
            problem(field, "Value error, at most " + maxPairs + " key-value pairs, not " + v.size(), "value_error");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty() || e.getKey().length() > maxKey) {
                problem(field, "Value error, keys must have 1 to " + maxKey + " characters", "value_error");
            } else if (!e.getValue().isTextual()) {
                problems.add(new RequestProblem(loc(field, e.getKey()), "Input should be a valid string",
                        "string_type"));
            } else if (e.getValue().textValue().length() > maxValue) {
                problems.add(new RequestProblem(loc(field, e.getKey()), "String should have at most " + maxValue
                        + " characters", "string_too_long"));
            } else {
                out.put(e.getKey(), e.getValue().textValue());
            }
        }
        return out;
    }

    Map<String, String> metadata(String field) {
        return dictionary(field, MAX_METADATA_PAIRS, 100, 1000);
    }
}
