package dev.tabrunner.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.TaskStore;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tasks in memory, for unit tests of the API services, the worker and the recovery sweep. Behaves as
 * {@code TaskStoreContract} pins the DynamoDB adapter down. A task is kept as its JSON, like the adapter keeps it:
 * the records hold mutable JSON trees, and a test that changes a task it read must not change the stored one (it
 * would not on AWS). Thread-safe: each write is one atomic map operation.
 */
public final class InMemoryTaskStore implements TaskStore {
    private final ConcurrentHashMap<String, byte[]> byId = new ConcurrentHashMap<>();
    private final NewestFirstPages<TaskRecord> pages = new NewestFirstPages<>(TaskRecord::createdAt, TaskRecord::id);

    /**
     * The dialect a task was created through, read as {@code DynamoDbTaskStore} reads it (from the request), or
     * null. The one place to change when the dialect becomes a field of the task.
     */
    static String dialectOf(TaskRecord task) {
        return task.dialect() == null ? null : task.dialect().name();
    }

    private static byte[] write(TaskRecord task) {
        try {
            return Json.mapper().writeValueAsBytes(task);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise task " + task.id(), e);
        }
    }

    private static TaskRecord read(byte[] stored) {
        try {
            return Json.mapper().readValue(stored, TaskRecord.class);
        } catch (IOException e) {
            throw new StoreUnavailableException("stored TaskRecord is unreadable", e);
        }
    }

    private List<TaskRecord> all() {
        return byId.values().stream().map(InMemoryTaskStore::read).toList();
    }

    @Override
    public void create(TaskRecord task) {
        if (byId.putIfAbsent(task.id(), write(task)) != null) {
            throw new ConflictException("task_exists", "task " + task.id() + " exists");
        }
    }

    @Override
    public Optional<TaskRecord> find(String tenantId, String taskId) {
        return findForWorker(taskId).filter(t -> t.tenantId().equals(tenantId));
    }

    @Override
    public Optional<TaskRecord> findForWorker(String taskId) {
        return Optional.ofNullable(byId.get(taskId)).map(InMemoryTaskStore::read);
    }

    @Override
    public void update(TaskRecord next) {
        if (!ConditionalWrites.replaceIf(byId, next.id(), stored -> {
            TaskRecord current = read(stored);
            return current.version() == next.version() - 1 && current.tenantId().equals(next.tenantId());
        }, write(next))) {
            throw new ConflictException("task_changed", "task " + next.id() + " changed concurrently");
        }
    }

    @Override
    public Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor) {
        return pages.page(all().stream().filter(t -> t.tenantId().equals(tenantId)
                && t.sessionId().equals(sessionId)).toList(), tenantId + "#" + sessionId, limit, cursor);
    }

    @Override
    public Slice<TaskRecord> listByDialect(String tenantId, String dialect, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        List<TaskRecord> ofDialect = all().stream()
                .filter(t -> t.tenantId().equals(tenantId) && dialect.equals(dialectOf(t)))
                .sorted(pages.order()).toList();
        return new Slice<>(ofDialect.stream().skip(offset).limit(limit).toList(), ofDialect.size());
    }

    @Override
    public List<TaskRecord> listByStatus(TaskStatus status, int limit) {
        return all().stream().filter(t -> t.status() == status)
                .sorted(Comparator.comparing(TaskRecord::createdAt).thenComparing(TaskRecord::id))
                .limit(limit).toList();
    }

    @Override
    public int countUnfinished(String tenantId, int upTo) {
        // what DynamoDbTaskStore counts: waiting (created) and running tasks; paused ones are not counted
        long unfinished = all().stream().filter(t -> t.tenantId().equals(tenantId)
                && (t.status() == TaskStatus.CREATED || t.status() == TaskStatus.RUNNING)).count();
        return (int) Math.min(unfinished, upTo);
    }
}
