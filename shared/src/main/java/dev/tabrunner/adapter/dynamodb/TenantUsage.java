package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * A tenant's usage, one item per tenant: the ids of its active sessions and of its unfinished tasks, as string sets.
 * A limit is a condition on the set's size in the same transaction that writes the session or task, so two
 * concurrent creations can never both take the last place; a set changes by adding or removing one id, which is
 * idempotent, so a write that is retried or repeated cannot drift the count (a counter's increments could). This
 * replaces counting an index on every request: one small item read or written instead of a query.
 */
final class TenantUsage {
    static final String SESSIONS = "sessions";
    static final String TASKS = "tasks";
    static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";

    private final DynamoDbClient client;
    private final String table;

    TenantUsage(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    /** Adds the id to the tenant's set, as long as the set has fewer than {@code limit} members. */
    TransactWriteItem add(String tenantId, String set, String id, int limit) {
        Update.Builder u = Update.builder().tableName(table).key(Map.of("tenantId", s(tenantId)))
                .updateExpression("ADD #set :id")
                .expressionAttributeNames(Map.of("#set", set));
        if (limit == Integer.MAX_VALUE) {
            u.expressionAttributeValues(Map.of(":id", ids(id)));
        } else {
            u.conditionExpression("attribute_not_exists(#set) OR size(#set) < :max OR contains(#set, :member)")
                    .expressionAttributeValues(Map.of(":id", ids(id), ":max", n(limit), ":member", s(id)));
        }
        return TransactWriteItem.builder().update(u.build()).build();
    }

    /** Removes the id from the tenant's set (nothing happens when it is not there). */
    TransactWriteItem remove(String tenantId, String set, String id) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Map.of("tenantId", s(tenantId))).updateExpression("DELETE #set :id")
                .expressionAttributeNames(Map.of("#set", set))
                .expressionAttributeValues(Map.of(":id", ids(id))).build()).build();
    }

    /** Removes ids from the tenant's set outside any transaction (ids found stale). */
    void removeAll(String tenantId, String set, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            client.updateItem(b -> b.tableName(table).key(Map.of("tenantId", s(tenantId)))
                    .updateExpression("DELETE #set :ids").expressionAttributeNames(Map.of("#set", set))
                    .expressionAttributeValues(Map.of(":ids", AttributeValue.builder().ss(ids).build())));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not update the usage of tenant " + tenantId, e);
        }
    }

    /** The members of the tenant's set. */
    List<String> members(String tenantId, String set) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).key(Map.of("tenantId", s(tenantId)))
                    .consistentRead(true).projectionExpression("#set")
                    .expressionAttributeNames(Map.of("#set", set)));
            return Optional.ofNullable(r.item()).map(i -> i.get(set)).map(AttributeValue::ss).orElse(List.of());
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read the usage of tenant " + tenantId, e);
        }
    }

    /** True when the transaction was cancelled by the condition of its item at {@code index}. */
    static boolean failedAt(List<CancellationReason> reasons, int index) {
        return reasons != null && reasons.size() > index
                && CONDITIONAL_CHECK_FAILED.equals(reasons.get(index).code());
    }

    private static AttributeValue ids(String id) {
        return AttributeValue.builder().ss(id).build();
    }
}
