package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.Credential;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.CredentialStore;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/** Credential metadata in DynamoDB, keyed by id, listed per tenant through the tenant index. */
public final class DynamoDbCredentialStore implements CredentialStore {
    private final DynamoDbClient client;
    private final String table;

    public DynamoDbCredentialStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    private static Map<String, AttributeValue> keys(Credential c) {
        return Map.of("id", s(c.id()), "tenantId", s(c.tenantId()), "createdAt", s(c.createdAt().toString()),
                "version", n(c.version()));
    }

    @Override
    public void create(Credential credential) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(credential, keys(credential)))
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("credential_exists", "credential " + credential.id() + " exists");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not create credential " + credential.id(), e);
        }
    }

    @Override
    public Optional<Credential> find(String tenantId, String credentialId) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).key(Map.of("id", s(credentialId)))
                    .consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty() || !tenantId.equals(r.item().get("tenantId").s())) {
                return Optional.empty();
            }
            return Optional.of(DynamoDocuments.read(r.item(), Credential.class));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read credential " + credentialId, e);
        }
    }

    @Override
    public List<Credential> list(String tenantId) {
        try {
            return client.queryPaginator(b -> b.tableName(table).indexName(DynamoDbTables.BY_TENANT)
                            .keyConditionExpression("tenantId = :t")
                            .expressionAttributeValues(Map.of(":t", s(tenantId))).scanIndexForward(false))
                    .items().stream().map(i -> DynamoDocuments.read(i, Credential.class)).toList();
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list credentials", e);
        }
    }

    @Override
    public void update(Credential next) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(next, keys(next)))
                    .conditionExpression("version = :v AND tenantId = :t")
                    .expressionAttributeValues(Map.of(":v", n(next.version() - 1), ":t", s(next.tenantId()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("credential_changed", "credential " + next.id() + " changed concurrently");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not update credential " + next.id(), e);
        }
    }

    @Override
    public boolean delete(String tenantId, String credentialId) {
        try {
            client.deleteItem(b -> b.tableName(table).key(Map.of("id", s(credentialId)))
                    .conditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", s(tenantId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not delete credential " + credentialId, e);
        }
    }
}
