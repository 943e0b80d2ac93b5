package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /**
     * An instant as a sort key: fixed width (nanoseconds always written), so that keys order as instants do;
     * {@code Instant.toString()} drops trailing zeros, and {@code ...:00Z} would sort after {@code ...:00.500Z}.
     */
    static String sortKey(java.time.Instant instant) {
        return SORT_KEY.format(instant);
    }

    private static final java.time.format.DateTimeFormatter SORT_KEY = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /**
     * The items with these keys, in the keys' order, read consistently in batches of 100; keys without an item are
     * left out.
     */
    static List<Map<String, AttributeValue>> batchGet(DynamoDbClient client, String table, String keyName,
                                                      List<String> ids) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .distinct().map(id -> Map.of(keyName, s(id))).toList();
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse r = client.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : r.responses().getOrDefault(table, List.of())) {
                    found.put(item.get(keyName).s(), item);
                }
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
            }
        }
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, AttributeValue> item = found.get(id);
            if (item != null) {
                out.add(item);
            }
        }
        return out;
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
