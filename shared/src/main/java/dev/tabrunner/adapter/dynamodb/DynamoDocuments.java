package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Rows are stored as one JSON document attribute ({@code doc}) plus the few top-level attributes that keys,
 * indexes and condition expressions need. Keeps the mapping in one place and the schema easy to evolve.
 */
final class DynamoDocuments {
    static final String DOC = "doc";

    private DynamoDocuments() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    static <T> Map<String, AttributeValue> item(T record, Map<String, AttributeValue> keys) {
        Map<String, AttributeValue> item = new HashMap<>(keys);
        try {
            item.put(DOC, s(Json.mapper().writeValueAsString(record)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + record.getClass().getSimpleName(), e);
        }
        return item;
    }

    static <T> T read(Map<String, AttributeValue> item, Class<T> type) {
        try {
            return Json.mapper().readValue(item.get(DOC).s(), type);
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("stored " + type.getSimpleName() + " is unreadable", e);
        }
    }

    static String encodeCursor(Map<String, AttributeValue> lastKey) {
        if (lastKey == null || lastKey.isEmpty()) {
            return null;
        }
        Map<String, String> plain = new HashMap<>();
        lastKey.forEach((k, v) -> plain.put(k, v.s()));
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Json.mapper().writeValueAsBytes(plain));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws IllegalArgumentException when the cursor is malformed or was made for another tenant/partition
     */
    static Map<String, AttributeValue> decodeCursor(String cursor, String partitionAttribute, String partition) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        Map<String, String> plain;
        try {
            plain = Json.mapper().readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)),
                    new TypeReference<Map<String, String>>() {
                    });
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new IllegalArgumentException("cursor is not valid");
        }
        if (plain == null || !partition.equals(plain.get(partitionAttribute))) {
            throw new IllegalArgumentException("cursor is not valid");
        }
        Map<String, AttributeValue> key = new HashMap<>();
        plain.forEach((k, v) -> {
            if (v == null) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            key.put(k, s(v));
        });
        return key;
    }
}
