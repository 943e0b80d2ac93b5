package dev.tabrunner.events;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place task events come from: a {@link TaskStore} that, after each successful write, tells its listeners
 * what changed. Every writer - the API (submissions, stop, pause, resume, answers), the worker (claims, checkpoints,
 * ends), the recovery sweep and the dead-letter handler - goes through the store, whatever the dialect, so no
 * dialect or writer announces anything itself.
 *
 * <p>A write carries only the task's next version; what it was before is remembered from the records this store
 * returned or wrote (every writer reads before a conditional write), and read from the store in the rare case it
 * is not remembered. A checkpoint (running to running) is no event. A task's first start is; a continuation on
 * another worker or after a resume is not.
 */
public final class ObservedTaskStore implements TaskStore {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedTaskStore.class);
    private static final int REMEMBERED = 10_000;

    private final TaskStore delegate;
    private final List<TaskEventListener> listeners;
    private final Clock clock;
    private final Map<String, Seen> seen = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** What a version of a task was, as far as events are concerned. */
    private record Seen(long version, TaskStatus status, boolean started) {
        static Seen of(TaskRecord t) {
            return new Seen(t.version(), t.status(), t.startedAt() != null);
        }
    }

    public ObservedTaskStore(TaskStore delegate, List<TaskEventListener> listeners, Clock clock) {
        this.delegate = delegate;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    /** The store it observes, for what only the underlying store offers. */
    public TaskStore delegate() {
        return delegate;
    }

    @Override
    public void create(TaskRecord task, int maxUnfinished) {
        delegate.create(task, maxUnfinished);
        remember(task);
        emit(TaskEvent.Kind.CREATED, task);
    }

    @Override
    public void update(TaskRecord next) {
        Seen before = seen.get(next.id());
        if (before == null || before.version() != next.version() - 1) {
            before = delegate.findForWorker(next.id()).filter(t -> t.version() == next.version() - 1)
                    .map(Seen::of).orElse(null);
        }
        delegate.update(next);
        remember(next);
        if (before != null) {
            TaskEvent.Kind kind = transition(before, next);
            if (kind != null) {
                emit(kind, next);
            }
        }
    }

    /** The event a change from {@code before} to {@code next} makes, or null for none. */
    static TaskEvent.Kind transition(Seen before, TaskRecord next) {
        if (before.status() == next.status()) {
            return null;
        }
        return switch (next.status()) {
            case RUNNING -> before.started() ? null : TaskEvent.Kind.STARTED;
            case CREATED -> null;
            case PAUSED -> TaskEvent.Kind.PAUSED;
            case GUARDRAIL -> TaskEvent.Kind.NEEDS_INPUT;
            case FINISHED -> TaskEvent.Kind.COMPLETED;
            case FAILED -> TaskEvent.Kind.FAILED;
            case STOPPED -> TaskEvent.Kind.STOPPED;
        };
    }

    /** For tests: the event a change from {@code before} to {@code next} makes. */
    static TaskEvent.Kind transition(TaskRecord before, TaskRecord next) {
        return transition(Seen.of(before), next);
    }

    private void emit(TaskEvent.Kind kind, TaskRecord task) {
        TaskEvent event = TaskEvent.of(kind, task, clock.instant());
        for (TaskEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a listener of task {} events failed: {}", task.id(), e.toString());
            }
        }
    }

    private TaskRecord remember(TaskRecord t) {
        seen.put(t.id(), Seen.of(t));
        return t;
    }

    private Optional<TaskRecord> remember(Optional<TaskRecord> t) {
        t.ifPresent(this::remember);
        return t;
    }

    private Page<TaskRecord> remember(Page<TaskRecord> page) {
        page.items().forEach(this::remember);
        return page;
    }

    @Override
    public Optional<TaskRecord> find(String tenantId, String taskId) {
        return remember(delegate.find(tenantId, taskId));
    }

    @Override
    public Optional<TaskRecord> findForWorker(String taskId) {
        return remember(delegate.findForWorker(taskId));
    }

    @Override
    public boolean renewLease(String taskId, String owner, Instant expiresAt) {
        return delegate.renewLease(taskId, owner, expiresAt);
    }

    @Override
    public boolean markRedispatched(String taskId, Instant now, Instant notBefore) {
        return delegate.markRedispatched(taskId, now, notBefore);
    }

    @Override
    public Page<TaskRecord> listBySession(String tenantId, String sessionId, int limit, String cursor) {
        return remember(delegate.listBySession(tenantId, sessionId, limit, cursor));
    }

    @Override
    public Page<TaskRecord> listByTenant(String tenantId, int limit, String cursor) {
        return remember(delegate.listByTenant(tenantId, limit, cursor));
    }

    @Override
    public Slice<TaskRecord> listByDialect(String tenantId, String dialect, int offset, int limit) {
        Slice<TaskRecord> slice = delegate.listByDialect(tenantId, dialect, offset, limit);
        slice.items().forEach(this::remember);
        return slice;
    }

    @Override
    public Page<TaskRecord> listByStatus(TaskStatus status, int limit, String cursor) {
        return remember(delegate.listByStatus(status, limit, cursor));
    }

    @Override
    public int countUnfinished(String tenantId) {
        return delegate.countUnfinished(tenantId);
    }
}
