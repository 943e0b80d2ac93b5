package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/** API keys in DynamoDB, keyed by key id. Reads are strongly consistent so a revoked key stops at once. */
public final class DynamoDbApiKeyStore implements ApiKeyStore {
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
            return Optional.of(DynamoDocuments.read(r.item(), ApiKey.class));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read api key " + keyId, e);
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
