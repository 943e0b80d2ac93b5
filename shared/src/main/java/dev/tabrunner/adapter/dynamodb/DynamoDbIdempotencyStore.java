package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.IdempotencyStore;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * Idempotency keys in DynamoDB, expired by the table's TTL. Responses that would not fit in an item (a Run Task
 * answer with inline screenshots) are kept in the blob store and referenced from the item.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    private static final int INLINE_LIMIT = 300_000;

    private final DynamoDbClient client;
    private final String table;
    private final BlobStore blobs;

    public DynamoDbIdempotencyStore(DynamoDbClient client, String table, BlobStore blobs) {
        this.client = client;
        this.table = table;
        this.blobs = blobs;
    }

    @Override
    public Optional<Entry> reserve(String key, String fingerprint, Instant now, Duration keep, Duration staleAfter) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(key));
        item.put("fingerprint", s(fingerprint));
        item.put("createdAt", n(now.toEpochMilli()));
        item.put("ttl", n(now.plus(keep).getEpochSecond()));
        try {
            client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(id) OR (attribute_not_exists(#st) AND createdAt < :stale)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":stale", n(now.minus(staleAfter).toEpochMilli()))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.of(read(key));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not reserve an idempotency key", e);
        }
    }

    private Entry read(String key) {
        try {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of("id", s(key)))
                    .consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                // released between our attempt and this read: report it as in progress, the caller retries
                return new Entry(null, null, null);
            }
            Integer status = item.containsKey("status") ? Integer.valueOf(item.get("status").n()) : null;
            byte[] body = null;
            if (item.containsKey("body")) {
                body = item.get("body").b().asByteArray();
            } else if (item.containsKey("blobKey")) {
                body = blobs.get(item.get("blobKey").s()).orElse(null);
            }
            return new Entry(item.get("fingerprint").s(), status, body);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read an idempotency key", e);
        }
    }

    @Override
    public void complete(String key, int status, byte[] body) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":s", n(status));
        String update;
        if (body.length <= INLINE_LIMIT) {
            values.put(":b", AttributeValue.builder().b(SdkBytes.fromByteArray(body)).build());
            update = "SET #st = :s, body = :b";
        } else {
            String blobKey = "idempotency/" + Integer.toHexString(key.hashCode()) + "-" + java.util.UUID.randomUUID();
            blobs.put(blobKey, body, "application/json");
            values.put(":k", s(blobKey));
            update = "SET #st = :s, blobKey = :k";
        }
        try {
            client.updateItem(b -> b.tableName(table).key(Map.of("id", s(key))).updateExpression(update)
                    .expressionAttributeNames(Map.of("#st", "status")).expressionAttributeValues(values));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not store an idempotent response", e);
        }
    }

    @Override
    public void release(String key) {
        try {
            client.deleteItem(b -> b.tableName(table).key(Map.of("id", s(key)))
                    .conditionExpression("attribute_not_exists(#st)")
                    .expressionAttributeNames(Map.of("#st", "status")));
        } catch (ConditionalCheckFailedException e) {
            // completed meanwhile: keep it
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not release an idempotency key", e);
        }
    }
}
