package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.Webhook;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.WebhookStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * Webhook endpoints in DynamoDB, keyed by tenant and id: every read names the tenant (the publisher lists the
 * tenant's endpoints at each task event, the sender finds one), so no index is needed.
 */
public final class DynamoDbWebhookStore implements WebhookStore {
    private final DynamoDbClient client;
    private final String table;

    public DynamoDbWebhookStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String tenantId, String id) {
        return Map.of("tenantId", s(tenantId), "id", s(id));
    }

    @Override
    public void create(Webhook webhook) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(webhook,
                    key(webhook.tenantId(), webhook.id()))).conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("webhook_exists", "webhook " + webhook.id() + " exists");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not store webhook " + webhook.id(), e);
        }
    }

    @Override
    public List<Webhook> list(String tenantId) {
        List<Webhook> out = new ArrayList<>();
        try {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse r = client.query(b -> b.tableName(table).keyConditionExpression("tenantId = :t")
                        .expressionAttributeValues(Map.of(":t", s(tenantId))).exclusiveStartKey(from));
                r.items().forEach(i -> out.add(DynamoDocuments.read(i, Webhook.class)));
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list webhooks", e);
        }
        out.sort(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id));
        return out;
    }

    @Override
    public Optional<Webhook> find(String tenantId, String webhookId) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).key(key(tenantId, webhookId)));
            return r.hasItem() && !r.item().isEmpty() ? Optional.of(DynamoDocuments.read(r.item(), Webhook.class))
                    : Optional.empty();
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read webhook " + webhookId, e);
        }
    }

    @Override
    public boolean delete(String tenantId, String webhookId) {
        try {
            client.deleteItem(b -> b.tableName(table).key(key(tenantId, webhookId))
                    .conditionExpression("attribute_exists(id)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not delete webhook " + webhookId, e);
        }
    }
}
