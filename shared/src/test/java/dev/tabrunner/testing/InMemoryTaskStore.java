package dev.tabrunner.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.TaskStore;

import java.io.IOException;
import java.time.Instant;
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
    private final ConcurrentHashMap<String, Instant> redispatched = new ConcurrentHashMap<>();
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
    public synchronized void create(TaskRecord task, int maxUnfinished) {
        if (byId.containsKey(task.id())) {
            throw new ConflictException("task_exists", "task " + task.id() + " exists");
        }
        if (counts(task.status()) && countUnfinished(task.tenantId()) >= maxUnfinished) {
            throw new LimitReachedException("tenant " + task.tenantId() + " has " + maxUnfinished
                    + " unfinished tasks", maxUnfinished);
        }
        byId.put(task.id(), write(task));
    }

    private static boolean counts(TaskStatus status) {
        return status == TaskStatus.CREATED || status == TaskStatus.RUNNING;
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
    public synchronized void update(TaskRecord next) {
        if (!ConditionalWrites.replaceIf(byId, next.id(), stored -> {
            TaskRecord current = read(stored);
            return current.version() == next.version() - 1 && current.tenantId().equals(next.tenantId());
        }, write(next))) {
            throw new ConflictException("task_changed", "task " + next.id() + " changed concurrently");
        }
        // as in DynamoDB, where a write replaces the whole row: the mark goes with the write
        redispatched.remove(next.id());
    }

    @Override
    public Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor) {
        return pages.page(all().stream().filter(t -> t.tenantId().equals(tenantId)
                && t.sessionId().equals(sessionId)).toList(), tenantId + "#" + sessionId, limit, cursor);
    }

    @Override
    public Page<TaskRecord> listByTenant(String tenantId, int limit, String cursor) {
        return pages.page(all().stream().filter(t -> t.tenantId().equals(tenantId)).toList(), tenantId, limit,
                cursor);
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
    public synchronized boolean renewLease(String taskId, String owner, Instant expiresAt) {
        byte[] stored = byId.get(taskId);
        if (stored == null) {
            return false;
        }
        TaskRecord current = read(stored);
        if (current.status() != TaskStatus.RUNNING || !owner.equals(current.leaseOwner())) {
            return false;
        }
        // the lease moves, the version does not (as the DynamoDB adapter's update of the lease attribute alone)
        ObjectNode doc = Json.mapper().valueToTree(current);
        doc.put("leaseExpiresAt", expiresAt.toString());
        try {
            byId.put(taskId, Json.mapper().writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    @Override
    public boolean markRedispatched(String taskId, Instant now, Instant notBefore) {
        if (!byId.containsKey(taskId)) {
            return false;
        }
        Instant[] marked = {null};
        redispatched.compute(taskId, (id, last) -> {
            if (last == null || last.isBefore(notBefore)) {
                marked[0] = now;
                return now;
            }
            return last;
        });
        return marked[0] != null;
    }

    @Override
    public Page<TaskRecord> listByStatus(TaskStatus status, int limit, String cursor) {
        int from = 0;
        if (cursor != null) {
            String[] parts = cursor.split(":", 2);
            try {
                if (parts.length != 2 || !parts[0].equals(status.name())) {
                    throw new NumberFormatException();
                }
                from = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor is not valid");
            }
        }
        List<TaskRecord> all = all().stream().filter(t -> t.status() == status)
                .sorted(Comparator.comparing(TaskRecord::createdAt).thenComparing(TaskRecord::id)).toList();
        List<TaskRecord> page = all.stream().skip(from).limit(limit).toList();
        String next = from + page.size() < all.size() ? status.name() + ":" + (from + page.size()) : null;
        return new Page<>(page, next);
    }

    @Override
    public int countUnfinished(String tenantId) {
        // what DynamoDbTaskStore counts: waiting (created) and running tasks; paused ones are not counted
        return (int) all().stream().filter(t -> t.tenantId().equals(tenantId) && counts(t.status())).count();
    }
}
