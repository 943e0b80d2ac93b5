package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.JsonNumbers;

import java.util.Iterator;
import java.util.Set;

/** Typed, bounds-checked reads of one JSON object, each error naming the field's full path. */
final class JsonFields {
    private final JsonNode node;
    private final String path;
    private final int actionIndex;
    private final String actionType;

    JsonFields(JsonNode node, String path, int actionIndex, String actionType) {
        this.node = node;
        this.path = path;
        this.actionIndex = actionIndex;
        this.actionType = actionType;
        if (node == null || !node.isObject()) {
            throw fail(path, "must be a JSON object");
        }
    }

    String self() {
        return path;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    InvalidRequestException fail(String fieldPath, String message) {
        return new InvalidRequestException(fieldPath, message, actionIndex, actionType);
    }

    void allowOnly(Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw fail(path(name), "unknown field; allowed fields are " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode raw(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    String string(String field, boolean required, int maxLength) {
        JsonNode v = raw(field);
        if (v == null) {
            if (required) {
                throw fail(path(field), "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw fail(path(field), "must be a string");
        }
        String s = v.textValue();
        if (required && s.isEmpty()) {
            throw fail(path(field), "must not be empty");
        }
        if (s.length() > maxLength) {
            throw fail(path(field), "must be at most " + maxLength + " characters");
        }
        return s;
    }

    Long longValue(String field, long min, long max) {
        JsonNode v = raw(field);
        if (v == null) {
            return null;
        }
        // 300000.0 and 3e5 are integers too; out-of-range values are clamped, so the range check refuses them
        long n = JsonNumbers.clampedLong(v).orElseThrow(() -> fail(path(field), "must be an integer"));
        if (n < min || n > max) {
            throw fail(path(field), "must be between " + min + " and " + max);
        }
        return n;
    }

    Double doubleValue(String field, double min, double max) {
        JsonNode v = raw(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw fail(path(field), "must be a number");
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw fail(path(field), "must be between " + min + " and " + max);
        }
        return d;
    }

    boolean bool(String field, boolean defaultValue) {
        JsonNode v = raw(field);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw fail(path(field), "must be true or false");
        }
        return v.booleanValue();
    }

    JsonFields object(String field) {
        JsonNode v = raw(field);
        return v == null ? null : new JsonFields(v, path(field), actionIndex, actionType);
    }
}
