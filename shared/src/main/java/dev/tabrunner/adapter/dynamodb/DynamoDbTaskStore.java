package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.TaskStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * Tasks in DynamoDB. Each write is conditional on the version the writer read, which is what makes the task a state
 * machine that two workers (or a worker and a stop request) can never both advance.
 *
 * <p>The row is the task's state plus its small parts; the parts that grow (request, results, network log,
 * checkpoint, agent steps) move to the blob store when the row would pass {@link TaskParts#INLINE_LIMIT}. The indexes
 * project keys only (a listing reads the page's rows by key), so a write costs its own size once, not once per
 * index. The status index is spread over {@link #STATUS_SHARDS} partitions, so that running tasks' writes do not all
 * land on one. The lease is a top-level attribute the worker renews with an update that leaves the version as it is.
 * Unfinished tasks are counted for the tenant's limit in {@link TenantUsage}, in the same transaction as the write
 * that changes whether they count. An ended task's row expires {@code retention} after its end ({@code ttl}).
 */
public final class DynamoDbTaskStore implements TaskStore {
    /** Partitions of the status index: the status alone would be one hot partition for every running task. */
    static final int STATUS_SHARDS = 8;
    private static final String DIALECT_TENANT = "dialectTenant";
    private static final String LEASE_OWNER = "leaseOwner";
    private static final String LEASE_EXPIRES = "leaseExpiresAt";

    private final DynamoDbClient client;
    private final String table;
    private final TenantUsage usage;
    private final TaskParts parts;
    private final Duration retention;

    /**
     * @param blobs     where parts too large for the row go (the artifacts' store)
     * @param retention how long an ended task's row is kept
     */
    public DynamoDbTaskStore(DynamoDbClient client, DynamoDbTables tables, BlobStore blobs, Duration retention) {
        this.client = client;
        this.table = tables.tasks();
        this.usage = new TenantUsage(client, tables.tenants());
        this.parts = new TaskParts(blobs);
        this.retention = retention;
    }

    /** Keeps ended tasks for {@value DynamoDbTables#DEFAULT_RETENTION_DAYS} days. */
    public DynamoDbTaskStore(DynamoDbClient client, DynamoDbTables tables, BlobStore blobs) {
        this(client, tables, blobs, Duration.ofDays(DynamoDbTables.DEFAULT_RETENTION_DAYS));
    }

    /** The index key comes from the dialect's name alone: what the dialect keeps with the task is not read. */
    private static String dialectOf(TaskRecord t) {
        return t.dialect() == null ? null : t.dialect().name();
    }

    private static String dialectTenant(String dialect, String tenantId) {
        return dialect + "#" + tenantId;
    }

    static String statusShard(TaskStatus status, String taskId) {
        return status.name() + "#" + Math.floorMod(taskId.hashCode(), STATUS_SHARDS);
    }

    /** Waiting or running: what the tenant's limit counts. */
    private static boolean counts(TaskStatus status) {
        return status == TaskStatus.CREATED || status == TaskStatus.RUNNING;
    }

    private Map<String, AttributeValue> item(TaskRecord t, String document) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(t.id()));
        item.put("tenantId", s(t.tenantId()));
        item.put("sessionId", s(t.sessionId()));
        item.put("createdAt", s(DynamoDocuments.sortKey(t.createdAt())));
        item.put("status", s(t.status().name()));
        item.put("statusShard", s(statusShard(t.status(), t.id())));
        item.put("version", n(t.version()));
        item.put(DynamoDocuments.DOC, s(document));
        if (t.leaseOwner() != null) {
            item.put(LEASE_OWNER, s(t.leaseOwner()));
        }
        if (t.leaseExpiresAt() != null) {
            item.put(LEASE_EXPIRES, s(t.leaseExpiresAt().toString()));
        }
        String dialect = dialectOf(t);
        if (dialect != null) {
            item.put(DIALECT_TENANT, s(dialectTenant(dialect, t.tenantId())));
        }
        if (t.status().isTerminal()) {
            Instant end = t.finishedAt() != null ? t.finishedAt() : t.createdAt();
            item.put("ttl", n(end.plus(retention).getEpochSecond()));
        }
        return item;
    }

    @Override
    public void create(TaskRecord task, int maxUnfinished) {
        String document = parts.write(task);
        Put put = Put.builder().tableName(table).item(item(task, document))
                .conditionExpression("attribute_not_exists(id)").build();
        List<TransactWriteItem> writes = new ArrayList<>(List.of(TransactWriteItem.builder().put(put).build()));
        if (counts(task.status())) {
            writes.add(usage.add(task.tenantId(), TenantUsage.TASKS, task.id(), maxUnfinished));
        }
        try {
            client.transactWriteItems(b -> b.transactItems(writes));
            parts.written(task.id(), document);
        } catch (TransactionCanceledException e) {
            if (TenantUsage.failedAt(e.cancellationReasons(), 0)) {
                throw new ConflictException("task_exists", "task " + task.id() + " exists");
            }
            if (TenantUsage.failedAt(e.cancellationReasons(), 1)) {
                throw new LimitReachedException("tenant " + task.tenantId() + " has " + maxUnfinished
                        + " unfinished tasks", maxUnfinished);
            }
            throw new StoreUnavailableException("could not create task " + task.id(), e);
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
            return Optional.of(read(r.item()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read task " + taskId, e);
        }
    }

    /** The task a row holds, with the lease as last renewed (the renewal leaves the document as it was). */
    private TaskRecord read(Map<String, AttributeValue> item) {
        AttributeValue lease = item.get(LEASE_EXPIRES);
        String document = item.get(DynamoDocuments.DOC).s();
        if (lease == null) {
            return parts.read(document);
        }
        try {
            ObjectNode doc = (ObjectNode) Json.mapper().readTree(document);
            doc.put(LEASE_EXPIRES, lease.s());
            return parts.read(doc.toString());
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("a stored task is unreadable", e);
        }
    }

    @Override
    public void update(TaskRecord next) {
        String document = parts.write(next);
        Map<String, AttributeValue> condition = Map.of(":v", n(next.version() - 1), ":t", s(next.tenantId()));
        try {
            if (next.status() == TaskStatus.RUNNING) {
                // running stays counted (it was counted while it waited): the checkpoint is a single write
                client.putItem(b -> b.tableName(table).item(item(next, document))
                        .conditionExpression("version = :v AND tenantId = :t").expressionAttributeValues(condition));
            } else {
                Put put = Put.builder().tableName(table).item(item(next, document))
                        .conditionExpression("version = :v AND tenantId = :t").expressionAttributeValues(condition)
                        .build();
                TransactWriteItem counted = counts(next.status())
                        ? usage.add(next.tenantId(), TenantUsage.TASKS, next.id(), Integer.MAX_VALUE)
                        : usage.remove(next.tenantId(), TenantUsage.TASKS, next.id());
                client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(put).build(),
                        counted));
            }
            parts.written(next.id(), document);
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("task_changed", "task " + next.id() + " changed concurrently");
        } catch (TransactionCanceledException e) {
            if (TenantUsage.failedAt(e.cancellationReasons(), 0)) {
                throw new ConflictException("task_changed", "task " + next.id() + " changed concurrently");
            }
            throw new StoreUnavailableException("could not update task " + next.id(), e);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not update task " + next.id(), e);
        }
    }

    @Override
    public boolean renewLease(String taskId, String owner, Instant expiresAt) {
        try {
            client.updateItem(b -> b.tableName(table).key(Map.of("id", s(taskId)))
                    .updateExpression("SET " + LEASE_EXPIRES + " = :e")
                    .conditionExpression(LEASE_OWNER + " = :o AND #s = :running")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":e", s(expiresAt.toString()), ":o", s(owner),
                            ":running", s(TaskStatus.RUNNING.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not renew the lease of task " + taskId, e);
        }
    }

    @Override
    public boolean markRedispatched(String taskId, Instant now, Instant notBefore) {
        try {
            client.updateItem(b -> b.tableName(table).key(Map.of("id", s(taskId)))
                    .updateExpression("SET redispatchedAt = :now")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(redispatchedAt)"
                            + " OR redispatchedAt < :since)")
                    .expressionAttributeValues(Map.of(":now", s(DynamoDocuments.sortKey(now)),
                            ":since", s(DynamoDocuments.sortKey(notBefore)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not mark task " + taskId, e);
        }
    }

    @Override
    public Page<TaskRecord> listByStatus(TaskStatus status, int limit, String cursor) {
        int shard = 0;
        Map<String, AttributeValue> start = null;
        if (cursor != null) {
            StatusCursor c = StatusCursor.decode(cursor, status);
            shard = c.shard();
            start = c.start();
        }
        List<String> ids = new ArrayList<>();
        try {
            while (shard < STATUS_SHARDS && ids.size() < limit) {
                Map<String, AttributeValue> from = start;
                String key = status.name() + "#" + shard;
                int want = limit - ids.size();
                QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_STATUS)
                        .keyConditionExpression("statusShard = :s")
                        .expressionAttributeValues(Map.of(":s", s(key)))
                        .scanIndexForward(true).limit(want).exclusiveStartKey(from));
                r.items().forEach(i -> ids.add(i.get("id").s()));
                if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                    start = r.lastEvaluatedKey();
                } else {
                    start = null;
                    shard++;
                }
            }
            List<TaskRecord> tasks = DynamoDocuments.batchGet(client, table, "id", ids).stream().map(this::read)
                    // the index is eventually consistent: a task may have moved on since
                    .filter(t -> t.status() == status).toList();
            String next = shard >= STATUS_SHARDS ? null : new StatusCursor(status, shard, start).encode();
            return new Page<>(tasks, next);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list " + status + " tasks", e);
        }
    }

    /** Where a listing by status goes on: the shard, and the last key read in it (null: from its start). */
    private record StatusCursor(TaskStatus status, int shard, Map<String, AttributeValue> start) {
        String encode() {
            Map<String, String> plain = new HashMap<>();
            plain.put("status", status.name());
            plain.put("shard", Integer.toString(shard));
            String last = DynamoDocuments.encodeCursor(start);
            if (last != null) {
                plain.put("last", last);
            }
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.mapper().writeValueAsBytes(plain));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static StatusCursor decode(String cursor, TaskStatus status) {
            Map<String, String> plain;
            try {
                plain = Json.mapper().readValue(Base64.getUrlDecoder().decode(cursor),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            if (plain == null || !status.name().equals(plain.get("status"))) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            int shard;
            try {
                shard = Integer.parseInt(plain.getOrDefault("shard", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            if (shard < 0 || shard >= STATUS_SHARDS) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            String last = plain.get("last");
            return new StatusCursor(status, shard, last == null ? null
                    : DynamoDocuments.decodeCursor(last, "statusShard", status.name() + "#" + shard));
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
            List<String> ids = new ArrayList<>();
            int skipped = 0;
            start = null;
            while (offset < total && ids.size() < limit) {
                Map<String, AttributeValue> from = start;
                int want = Math.min(1_000, offset - skipped + limit - ids.size());
                QueryResponse r = client.query(b -> b.tableName(table).indexName(DynamoDbTables.BY_DIALECT)
                        .keyConditionExpression(DIALECT_TENANT + " = :d").expressionAttributeValues(values)
                        .scanIndexForward(false).limit(want).exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : r.items()) {
                    if (skipped < offset) {
                        skipped++;
                    } else if (ids.size() < limit) {
                        ids.add(item.get("id").s());
                    }
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                if (start == null) {
                    break;
                }
            }
            List<TaskRecord> items = DynamoDocuments.batchGet(client, table, "id", ids).stream().map(this::read)
                    .toList();
            return new Slice<>(items, total);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list the tasks of a dialect", e);
        }
    }

    @Override
    public int countUnfinished(String tenantId) {
        return usage.members(tenantId, TenantUsage.TASKS).size();
    }

    @Override
    public Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor) {
        Map<String, AttributeValue> start = DynamoDocuments.decodeCursor(cursor, "sessionId", sessionId);
        return newestFirst(tenantId, q -> q.indexName(DynamoDbTables.BY_SESSION)
                .keyConditionExpression("sessionId = :s").filterExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":s", s(sessionId), ":t", s(tenantId)))
                .limit(limit).exclusiveStartKey(start));
    }

    @Override
    public Page<TaskRecord> listByTenant(String tenantId, int limit, String cursor) {
        Map<String, AttributeValue> start = DynamoDocuments.decodeCursor(cursor, "tenantId", tenantId);
        return newestFirst(tenantId, q -> q.indexName(DynamoDbTables.BY_TENANT)
                .keyConditionExpression("tenantId = :t").expressionAttributeValues(Map.of(":t", s(tenantId)))
                .limit(limit).exclusiveStartKey(start));
    }

    /**
     * A page of a key-only index, newest first, its rows read by key; a row of another tenant (never expected) is
     * left out.
     */
    private Page<TaskRecord> newestFirst(String tenantId,
                                         java.util.function.Consumer<QueryRequest.Builder> query) {
        try {
            QueryResponse r = client.query(b -> query.accept(b.tableName(table).scanIndexForward(false)));
            List<String> ids = r.items().stream().map(i -> i.get("id").s()).toList();
            List<TaskRecord> tasks = DynamoDocuments.batchGet(client, table, "id", ids).stream().map(this::read)
                    .filter(t -> t.tenantId().equals(tenantId)).toList();
            return new Page<>(tasks, DynamoDocuments.encodeCursor(r.lastEvaluatedKey()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list tasks", e);
        }
    }
}
