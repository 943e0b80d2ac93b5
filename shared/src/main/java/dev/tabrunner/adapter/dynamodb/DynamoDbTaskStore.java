package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.TaskStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * Tasks in DynamoDB. Each write is conditional on the version the writer read, which is what makes the
 * task a state machine that two workers (or a worker and a stop request) can never both advance.
 */
public final class DynamoDbTaskStore implements TaskStore {
    private final DynamoDbClient client;
    private final String table;

    public DynamoDbTaskStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    private static final String DIALECT_TENANT = "dialectTenant";

    /** The index key comes from the dialect's name alone: what the dialect keeps with the task is not read. */
    private static String dialectOf(TaskRecord t) {
        return t.dialect() == null ? null : t.dialect().name();
    }

    private static String dialectTenant(String dialect, String tenantId) {
        return dialect + "#" + tenantId;
    }

    private static Map<String, AttributeValue> keys(TaskRecord t) {
        Map<String, AttributeValue> keys = new HashMap<>();
        keys.put("id", s(t.id()));
        keys.put("tenantId", s(t.tenantId()));
        keys.put("sessionId", s(t.sessionId()));
        keys.put("createdAt", s(t.createdAt().toString()));
        keys.put("status", s(t.status().name()));
        keys.put("version", n(t.version()));
        String dialect = dialectOf(t);
        if (dialect != null) {
            keys.put(DIALECT_TENANT, s(dialectTenant(dialect, t.tenantId())));
        }
        return keys;
    }

    @Override
    public void create(TaskRecord task) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(task, keys(task)))
                    .conditionExpression("attribute_not_exists(id)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("task_exists", "task " + task.id() + " exists");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not create task " + task.id(), e);
        }
    }

    @Override
    public Optional<TaskRecord> find(String tenantId, String taskId) {
        return findForWorker(taskId).filter(t -> t.tenantId().equals(tenantId));
    }

    @Override
    public Optional<TaskRecord> findForWorker(String taskId) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).key(Map.of("id", s(taskId)))
                    .consistentRead(true));
            if (!r.hasItem() || r.item().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(DynamoDocuments.read(r.item(), TaskRecord.class));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read task " + taskId, e);
        }
    }

    @Override
    public void update(TaskRecord next) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(next, keys(next)))
                    .conditionExpression("version = :v AND tenantId = :t")
                    .expressionAttributeValues(Map.of(":v", n(next.version() - 1), ":t", s(next.tenantId()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("task_changed", "task " + next.id() + " changed concurrently");
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not update task " + next.id(), e);
        }
    }

    @Override
    public List<TaskRecord> listByStatus(TaskStatus status, int limit) {
        try {
            QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_STATUS)
                    .keyConditionExpression("#s = :s")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", s(status.name())))
                    .scanIndexForward(true).limit(limit));
            return r.items().stream().map(i -> DynamoDocuments.read(i, TaskRecord.class)).toList();
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list " + status + " tasks", e);
        }
    }

    @Override
    public Slice<TaskRecord> listByDialect(String tenantId, String dialect, int offset, int limit) {
        Map<String, AttributeValue> values = Map.of(":d", s(dialectTenant(dialect, tenantId)));
        try {
            int total = 0;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_DIALECT)
                        .keyConditionExpression(DIALECT_TENANT + " = :d").expressionAttributeValues(values)
                        .select(Select.COUNT).exclusiveStartKey(from));
                total += r.count();
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
            List<TaskRecord> items = new java.util.ArrayList<>();
            int skipped = 0;
            start = null;
            while (offset < total && items.size() < limit) {
                Map<String, AttributeValue> from = start;
                int want = Math.min(1_000, offset - skipped + limit - items.size());
                QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_DIALECT)
                        .keyConditionExpression(DIALECT_TENANT + " = :d").expressionAttributeValues(values)
                        .scanIndexForward(false).limit(want).exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : r.items()) {
                    if (skipped < offset) {
                        skipped++;
                    } else if (items.size() < limit) {
                        items.add(DynamoDocuments.read(item, TaskRecord.class));
                    }
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                if (start == null) {
                    break;
                }
            }
            return new Slice<>(items, total);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list the tasks of a dialect", e);
        }
    }

    @Override
    public int countUnfinished(String tenantId, int upTo) {
        int count = 0;
        try {
            for (TaskStatus status : List.of(TaskStatus.RUNNING, TaskStatus.CREATED)) {
                Map<String, AttributeValue> start = null;
                do {
                    Map<String, AttributeValue> from = start;
                    QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_STATUS)
                            .keyConditionExpression("#s = :s").filterExpression("tenantId = :t")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(Map.of(":s", s(status.name()), ":t", s(tenantId)))
                            .select(Select.COUNT).exclusiveStartKey(from));
                    count += r.count();
                    if (count >= upTo) {
                        // a page counts all its matches at once; the port counts no further than upTo
                        return upTo;
                    }
                    start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                } while (start != null);
            }
            return count;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not count tasks", e);
        }
    }

    @Override
    public Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor) {
        Map<String, AttributeValue> start = DynamoDocuments.decodeCursor(cursor, "sessionId", sessionId);
        try {
            QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_SESSION)
                    .keyConditionExpression("sessionId = :s")
                    .filterExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":s", s(sessionId), ":t", s(tenantId)))
                    .scanIndexForward(false).limit(limit).exclusiveStartKey(start));
            return new Page<>(r.items().stream().map(i -> DynamoDocuments.read(i, TaskRecord.class)).toList(),
                    DynamoDocuments.encodeCursor(r.lastEvaluatedKey()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list tasks", e);
        }
    }
}
