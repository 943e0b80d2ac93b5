package dev.tabrunner.worker;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.TaskInterrupted;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.TaskStore;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * Every write a worker makes to the task it holds goes through here, one at a time and in order, each conditional
 * on the version before it. When a write loses, the task is read again: a change that left the worker in charge (a
 * stop or pause request) is merged — the write is applied again on top of it — and anything else (another worker
 * took the task, it was ended) means the task is lost to this worker.
 */
final class TaskWriter {
    private static final int MERGE_ATTEMPTS = 5;

    private final TaskStore tasks;
    private final String workerId;
    private final ExecutorService background;
    private TaskRecord current;
    private Future<?> pending;

    TaskWriter(TaskStore tasks, String workerId, TaskRecord claimed, ExecutorService background) {
        this.tasks = tasks;
        this.workerId = workerId;
        this.current = claimed;
        this.background = background;
    }

    /** The task as last stored by or seen by this worker. */
    synchronized TaskRecord current() {
        return current;
    }

    /** Writes now and returns the stored record. */
    TaskRecord write(UnaryOperator<TaskRecord> change) {
        await();
        return apply(change);
    }

    /**
     * Writes in the background: the caller goes on at once, and at most one write is outstanding, so the stored
     * task is never more than one write behind.
     */
    void writeBehind(UnaryOperator<TaskRecord> change) {
        await();
        synchronized (this) {
            pending = background.submit(() -> apply(change));
        }
    }

    /**
     * Moves the task's lease on without a new version.
     *
     * @return false when the task no longer runs under this worker (the next read finds out why)
     */
    boolean renewLease(java.time.Instant until) {
        return tasks.renewLease(current().id(), workerId, until);
    }

    /** Waits for the outstanding write. */
    void await() {
        Future<?> p;
        synchronized (this) {
            p = pending;
            pending = null;
        }
        if (p == null) {
            return;
        }
        try {
            p.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TaskInterrupted t) {
                throw t;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskInterrupted(TaskInterrupted.Reason.LOST, "interrupted");
        }
    }

    private TaskRecord apply(UnaryOperator<TaskRecord> change) {
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            TaskRecord base;
            synchronized (this) {
                base = current;
            }
            TaskRecord next = change.apply(base);
            try {
                tasks.update(next);
                synchronized (this) {
                    current = next;
                }
                return next;
            } catch (ConflictException e) {
                refresh(base);
            }
        }
        throw new TaskInterrupted(TaskInterrupted.Reason.LOST, "task " + current.id() + " kept changing");
    }

    /**
     * Reads the task again after a lost write; keeps it when this worker still holds it in the same state.
     *
     * @throws TaskInterrupted LOST otherwise
     */
    TaskRecord refresh(TaskRecord base) {
        Optional<TaskRecord> reread = tasks.findForWorker(base.id());
        if (reread.isEmpty() || !workerId.equals(reread.get().leaseOwner())
                || reread.get().status() != base.status()) {
            throw new TaskInterrupted(TaskInterrupted.Reason.LOST, "task " + base.id() + " was taken over ("
                    + reread.map(t -> t.status() + " held by " + t.leaseOwner()).orElse("deleted") + ")");
        }
        synchronized (this) {
            if (reread.get().version() > current.version()) {
                current = reread.get();
            }
            return current;
        }
    }
}
