package dev.tabrunner.port;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;

import java.util.List;

import java.util.Optional;

/** Tasks and their checkpoints. Every change is conditional on the version the writer read. */
public interface TaskStore {
    /**
     * @throws ConflictException when a task with that id exists
     */
    void create(TaskRecord task);

    /** The task if it exists in this tenant. */
    Optional<TaskRecord> find(String tenantId, String taskId);

    /** The task by id alone, for workers, which receive only a task id. */
    Optional<TaskRecord> findForWorker(String taskId);

    /**
     * Writes {@code next} if the stored version is {@code next.version() - 1}.
     *
     * @throws ConflictException when another writer changed the task first
     */
    void update(TaskRecord next);

    /**
     * Tasks of one session, newest first.
     *
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor);

    /**
     * One page of the tenant's tasks created through a dialect (the name of their {@code dialect}), newest
     * first, and how many such tasks there are. Offset paging reads through the tasks before the page, so deep pages
     * cost more.
     */
    Slice<TaskRecord> listByDialect(String tenantId, String dialect, int offset, int limit);

    /** A page of an offset listing and the size of the whole listing. */
    record Slice<T>(List<T> items, int total) {
        public Slice {
            items = List.copyOf(items);
        }
    }

    /** Tasks of every tenant in one state, oldest first: how the recovery sweep finds abandoned work. */
    List<TaskRecord> listByStatus(TaskStatus status, int limit);

    /** How many of the tenant's tasks are waiting or running, counting no further than {@code upTo}. */
    int countUnfinished(String tenantId, int upTo);
}
