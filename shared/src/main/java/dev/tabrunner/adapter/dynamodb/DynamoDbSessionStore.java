package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/** Sessions in DynamoDB: key {@code id}, tenant and creation time indexed for newest-first listing. */
public final class DynamoDbSessionStore implements SessionStore {
    private final DynamoDbClient client;
    private final String table;

    public DynamoDbSessionStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    private static Map<String, AttributeValue> keys(Session session, long version) {
        Map<String, AttributeValue> keys = new java.util.HashMap<>(Map.of("id", s(session.id()),
                "tenantId", s(session.tenantId()), "createdAt", s(session.createdAt().toString()),
                "version", n(version)));
        if (session.status() != SessionStatus.TERMINATED) {
            // sparse index of the sessions that may still be active: what the per-tenant limit counts
            keys.put("activeTenantId", s(session.tenantId()));
        }
        return keys;
    }

    @Override
    public void create(Session session) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(session, keys(session, 0)))
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("session_exists", "session " + session.id() + " exists");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not create session " + session.id(), e);
        }
    }

    @Override
    public Optional<Session> find(String tenantId, String sessionId) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).key(Map.of("id", s(sessionId)))
                    .consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty() || !tenantId.equals(r.item().get("tenantId").s())) {
                return Optional.empty();
            }
            return Optional.of(withVersion(r.item()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read session " + sessionId, e);
        }
    }

    private static Session withVersion(Map<String, AttributeValue> item) {
        Session stored = DynamoDocuments.read(item, Session.class);
        long version = Long.parseLong(item.get("version").n());
        return stored.withVersion(version);
    }

    @Override
    public Session update(Session session, long expectedVersion) {
        long next = expectedVersion + 1;
        Session stored = session.withVersion(next);
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(stored, keys(stored, next)))
                    .conditionExpression("version = :v AND tenantId = :t")
                    .expressionAttributeValues(Map.of(":v", n(expectedVersion), ":t", s(session.tenantId()))));
            return stored;
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("session_changed", "session " + session.id() + " changed concurrently");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not update session " + session.id(), e);
        }
    }

    @Override
    public int countActive(String tenantId, Instant now, int upTo) {
        int count = 0;
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.ACTIVE_BY_TENANT)
                        .keyConditionExpression("activeTenantId = :t")
                        .expressionAttributeValues(Map.of(":t", s(tenantId))).exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : r.items()) {
                    if (DynamoDocuments.read(item, Session.class).statusAt(now) == SessionStatus.ACTIVE
                            && ++count >= upTo) {
                        return count;
                    }
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
            return count;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not count sessions", e);
        }
    }

    @Override
    public Page<Session> list(String tenantId, int limit, String cursor) {
        Map<String, AttributeValue> start = DynamoDocuments.decodeCursor(cursor, "tenantId", tenantId);
        try {
            QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_TENANT)
                    .keyConditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", s(tenantId)))
                    .scanIndexForward(false).limit(limit).exclusiveStartKey(start));
            return new Page<>(r.items().stream().map(DynamoDbSessionStore::withVersion).toList(),
                    DynamoDocuments.encodeCursor(r.lastEvaluatedKey()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list sessions", e);
        }
    }
}
