package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * API keys in DynamoDB, keyed by key id. Reads are strongly consistent so a revoked key stops at once. The last use
 * is a top-level attribute of its own, so that recording it never rewrites the key.
 */
public final class DynamoDbApiKeyStore implements ApiKeyStore {
    private static final String LAST_USED = "lastUsedAt";

    private final DynamoDbClient client;
    private final String table;

    public DynamoDbApiKeyStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public void put(ApiKey key, boolean replace) {
        try {
            client.putItem(b -> {
                b.tableName(table).item(DynamoDocuments.item(key, Map.of("id", s(key.id()),
                        "tenantId", s(key.tenantId()))));
                if (!replace) {
                    b.conditionExpression("attribute_not_exists(id)");
                }
            });
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("key_exists", "api key " + key.id() + " exists");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not store api key " + key.id(), e);
        }
    }

    @Override
    public Optional<ApiKey> find(String keyId) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).key(Map.of("id", s(keyId)))
                    .consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(read(r.item()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read api key " + keyId, e);
        }
    }

    private static ApiKey read(Map<String, AttributeValue> item) {
        ApiKey key = DynamoDocuments.read(item, ApiKey.class);
        AttributeValue used = item.get(LAST_USED);
        return used == null ? key : key.withLastUsedAt(Instant.parse(used.s()));
    }

    /**
     * A scan: the table holds a deployment's keys (dozens, not millions), and listing them is an admin's occasional
     * call, which an index on the tenant would make no cheaper.
     */
    @Override
    public List<ApiKey> list(String tenantId) {
        List<ApiKey> out = new ArrayList<>();
        try {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse r = client.scan(b -> {
                    b.tableName(table).consistentRead(true).exclusiveStartKey(from);
                    if (tenantId != null) {
                        b.filterExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", s(tenantId)));
                    }
                });
                r.items().forEach(item -> out.add(read(item)));
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list api keys", e);
        }
        out.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return out;
    }

    @Override
    public void touch(String keyId, Instant at) {
        Map<String, String> names = new HashMap<>(Map.of("#u", LAST_USED));
        try {
            client.updateItem(b -> b.tableName(table).key(Map.of("id", s(keyId)))
                    .updateExpression("SET #u = :at").conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(names).expressionAttributeValues(Map.of(":at", s(at.toString()))));
        } catch (ConditionalCheckFailedException gone) {
            // revoked meanwhile: nothing to record
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not record the use of api key " + keyId, e);
        }
    }

    @Override
    public boolean delete(String tenantId, String keyId) {
        try {
            client.deleteItem(b -> b.tableName(table).key(Map.of("id", s(keyId)))
                    .conditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", s(tenantId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not delete api key " + keyId, e);
        }
    }
}
