package dev.tabrunner.port;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;

import java.util.List;

import java.util.Optional;

/** Tasks and their checkpoints. Every change is conditional on the version the writer read. */
public interface TaskStore {
    /**
     * Stores a new task, counted as one of its tenant's unfinished tasks (waiting or running) in the same write.
     *
     * @param maxUnfinished how many unfinished tasks the tenant may have with this one
     * @throws LimitReachedException when the tenant already has {@code maxUnfinished} unfinished tasks
     * @throws ConflictException     when a task with that id exists
     */
    void create(TaskRecord task, int maxUnfinished);

    /**
     * Stores a new task with no limit on its tenant's unfinished tasks.
     *
     * @throws ConflictException when a task with that id exists
     */
    default void create(TaskRecord task) {
        create(task, Integer.MAX_VALUE);
    }

    /** The task if it exists in this tenant. */
    Optional<TaskRecord> find(String tenantId, String taskId);

    /** The task by id alone, for workers, which receive only a task id. */
    Optional<TaskRecord> findForWorker(String taskId);

    /**
     * Writes {@code next} if the stored version is {@code next.version() - 1}. A task that stops counting as
     * unfinished (it ended, paused, or waits for a person) leaves its tenant's count in the same write; one waiting
     * again (resumed, answered, handed on) counts again, whatever the limit (it was admitted once).
     *
     * @throws ConflictException when another writer changed the task first
     */
    void update(TaskRecord next);

    /**
     * Moves the lease of a running task further, without changing its version (the worker's next conditional write
     * still matches): a cheap write for the worker that holds it.
     *
     * @return false when the task is no longer running under {@code owner} (it was taken over or ended)
     */
    boolean renewLease(String taskId, String owner, java.time.Instant expiresAt);

    /**
     * Records that the recovery sweep dispatches the task again, unless a sweep already did since
     * {@code notBefore}: the sweep dispatches each stranded task once per period, however many sweeps run. The
     * next write of the task clears the mark.
     *
     * @return true when this sweep should dispatch the task
     */
    boolean markRedispatched(String taskId, java.time.Instant now, java.time.Instant notBefore);

    /**
     * Tasks of one session, newest first.
     *
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor);

    /**
     * The tenant's tasks of every session and dialect, newest first.
     *
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    Page<TaskRecord> listByTenant(String tenantId, int limit, String cursor);

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

    /**
     * Tasks of every tenant in one state, a page at a time: how the recovery sweep finds abandoned work. Within a
     * page tasks are oldest first; across pages no order is promised (the index is spread over partitions).
     *
     * @param cursor a {@link Page#nextCursor()} of the previous page, or null
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    Page<TaskRecord> listByStatus(TaskStatus status, int limit, String cursor);

    /** How many of the tenant's tasks are waiting or running, as counted for the limit ({@link #create}). */
    int countUnfinished(String tenantId);
}
