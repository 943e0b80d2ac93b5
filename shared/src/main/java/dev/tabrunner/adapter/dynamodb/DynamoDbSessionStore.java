package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * Sessions in DynamoDB: key {@code id}, tenant and creation time indexed (keys only) for newest-first listing. The
 * tenant's active sessions are counted for its limit in {@link TenantUsage}, in the same transaction as the session's
 * creation or termination; sessions that expired by inactivity (which writes nothing) are dropped from the count when
 * the limit is next reached. A session's row expires {@code retention} after the session ended or expired.
 */
public final class DynamoDbSessionStore implements SessionStore {
    private final DynamoDbClient client;
    private final String table;
    private final TenantUsage usage;
    private final Duration retention;

    /** @param retention how long a session's row is kept after the session ended or expired */
    public DynamoDbSessionStore(DynamoDbClient client, DynamoDbTables tables, Duration retention) {
        this.client = client;
        this.table = tables.sessions();
        this.usage = new TenantUsage(client, tables.tenants());
        this.retention = retention;
    }

    /** Keeps sessions {@value DynamoDbTables#DEFAULT_RETENTION_DAYS} days past their end. */
    public DynamoDbSessionStore(DynamoDbClient client, DynamoDbTables tables) {
        this(client, tables, Duration.ofDays(DynamoDbTables.DEFAULT_RETENTION_DAYS));
    }

    private Map<String, AttributeValue> item(Session session, long version) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("id", s(session.id()),
                "tenantId", s(session.tenantId()), "createdAt", s(DynamoDocuments.sortKey(session.createdAt())),
                "version", n(version)));
        Instant end = session.terminatedAt() != null ? session.terminatedAt() : session.expiresAt();
        item.put("ttl", n(end.plus(retention).getEpochSecond()));
        return DynamoDocuments.item(session, item);
    }

    @Override
    public void create(Session session, int maxActive) {
        if (session.status() == SessionStatus.TERMINATED) {
            try {
                client.putItem(b -> b.tableName(table).item(item(session, 0))
                        .conditionExpression("attribute_not_exists(id)"));
                return;
            } catch (ConditionalCheckFailedException e) {
                throw new ConflictException("session_exists", "session " + session.id() + " exists");
            } catch (SdkException e) {
                throw new StoreUnavailableException("could not create session " + session.id(), e);
            }
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Put put = Put.builder().tableName(table).item(item(session, 0))
                    .conditionExpression("attribute_not_exists(id)").build();
            try {
                client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(put).build(),
                        usage.add(session.tenantId(), TenantUsage.SESSIONS, session.id(), maxActive)));
                return;
            } catch (TransactionCanceledException e) {
                if (TenantUsage.failedAt(e.cancellationReasons(), 0)) {
                    throw new ConflictException("session_exists", "session " + session.id() + " exists");
                }
                if (!TenantUsage.failedAt(e.cancellationReasons(), 1)) {
                    throw new StoreUnavailableException("could not create session " + session.id(), e);
                }
                if (attempt > 0 || dropExpired(session.tenantId(), session.createdAt()) == 0) {
                    throw new LimitReachedException("tenant " + session.tenantId() + " has " + maxActive
                            + " active sessions", maxActive);
                }
            } catch (SdkException e) {
                throw new StoreUnavailableException("could not create session " + session.id(), e);
            }
        }
    }

    /**
     * Takes the sessions that are no longer active (expired, terminated, gone) out of the tenant's count.
     *
     * @return how many were taken out
     */
    private int dropExpired(String tenantId, Instant now) {
        List<String> members = usage.members(tenantId, TenantUsage.SESSIONS);
        Map<String, Session> live = new HashMap<>();
        for (Map<String, AttributeValue> item : DynamoDocuments.batchGet(client, table, "id", members)) {
            Session s = withVersion(item);
            live.put(s.id(), s);
        }
        List<String> stale = members.stream().filter(id -> !live.containsKey(id)
                || live.get(id).statusAt(now) != SessionStatus.ACTIVE).toList();
        usage.removeAll(tenantId, TenantUsage.SESSIONS, stale);
        return stale.size();
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
        Map<String, AttributeValue> condition = Map.of(":v", n(expectedVersion), ":t", s(session.tenantId()));
        try {
            if (stored.status() == SessionStatus.TERMINATED) {
                Put put = Put.builder().tableName(table).item(item(stored, next))
                        .conditionExpression("version = :v AND tenantId = :t").expressionAttributeValues(condition)
                        .build();
                client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(put).build(),
                        usage.remove(session.tenantId(), TenantUsage.SESSIONS, session.id())));
            } else {
                client.putItem(b -> b.tableName(table).item(item(stored, next))
                        .conditionExpression("version = :v AND tenantId = :t").expressionAttributeValues(condition));
            }
            return stored;
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("session_changed", "session " + session.id() + " changed concurrently");
        } catch (TransactionCanceledException e) {
            if (TenantUsage.failedAt(e.cancellationReasons(), 0)) {
                throw new ConflictException("session_changed", "session " + session.id() + " changed concurrently");
            }
            throw new StoreUnavailableException("could not update session " + session.id(), e);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not update session " + session.id(), e);
        }
    }

    @Override
    public Session renew(Session next, long expectedVersion, int maxActive) {
        long version = expectedVersion + 1;
        Session stored = next.withVersion(version);
        for (int attempt = 0; attempt < 2; attempt++) {
            Put put = Put.builder().tableName(table).item(item(stored, version))
                    .conditionExpression("version = :v AND tenantId = :t")
                    .expressionAttributeValues(Map.of(":v", n(expectedVersion), ":t", s(next.tenantId()))).build();
            try {
                client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(put).build(),
                        usage.add(next.tenantId(), TenantUsage.SESSIONS, next.id(), maxActive)));
                return stored;
            } catch (TransactionCanceledException e) {
                if (TenantUsage.failedAt(e.cancellationReasons(), 0)) {
                    throw new ConflictException("session_changed", "session " + next.id() + " changed concurrently");
                }
                if (!TenantUsage.failedAt(e.cancellationReasons(), 1)) {
                    throw new StoreUnavailableException("could not renew session " + next.id(), e);
                }
                if (attempt > 0 || dropExpired(next.tenantId(), next.createdAt()) == 0) {
                    throw new LimitReachedException("tenant " + next.tenantId() + " has " + maxActive
                            + " active sessions", maxActive);
                }
            } catch (SdkException e) {
                throw new StoreUnavailableException("could not renew session " + next.id(), e);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    @Override
    public int countActive(String tenantId) {
        return usage.members(tenantId, TenantUsage.SESSIONS).size();
    }

    @Override
    public Page<Session> list(String tenantId, int limit, String cursor) {
        Map<String, AttributeValue> start = DynamoDocuments.decodeCursor(cursor, "tenantId", tenantId);
        try {
            QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_TENANT)
                    .keyConditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", s(tenantId)))
                    .scanIndexForward(false).limit(limit).exclusiveStartKey(start));
            List<String> ids = r.items().stream().map(i -> i.get("id").s()).toList();
            List<Session> sessions = DynamoDocuments.batchGet(client, table, "id", ids).stream()
                    .map(DynamoDbSessionStore::withVersion).toList();
            return new Page<>(sessions, DynamoDocuments.encodeCursor(r.lastEvaluatedKey()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list sessions", e);
        }
    }
}
