package dev.tabrunner.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.recording.Recordings;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.TaskEnds;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * The one way a checked request becomes a task, whatever its kind and dialect: the tenant's limit of unfinished
 * tasks, the task's secrets sealed in the vault, the task stored, then handed to a worker.
 */
@Singleton
public final class TaskSubmission {
    private final TaskStore tasks;
    private final TaskDispatcher dispatcher;
    private final TaskEnds ends;
    private final ApiSettings settings;
    private final Clock clock;

    public TaskSubmission(TaskStore tasks, TaskDispatcher dispatcher, TaskEnds ends, ApiSettings settings,
                          Clock clock) {
        this.tasks = tasks;
        this.dispatcher = dispatcher;
        this.ends = ends;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Stores and dispatches a task; the returned record is as created.
     *
     * @param request the checked request, in the stored form the worker reads
     * @param secrets the values of the task's secrets (none for a scripted task)
     * @param dialect what the dialect that creates the task keeps with it, or null
     * @throws ApiException 429 when the tenant has as many unfinished tasks as it may
     */
    public TaskRecord submit(Caller caller, Session session, String kind, JsonNode request, TaskSecrets secrets,
                             DialectData dialect) {
        return submit(caller, session, kind, request, secrets, dialect, UUID.randomUUID().toString(), null);
    }

    /**
     * As {@link #submit(Caller, Session, String, JsonNode, TaskSecrets, DialectData)}, for a task whose id was
     * chosen beforehand: a copy in a race, whose siblings' ids it carries.
     *
     * @param race the race the task is a copy in (its id among the copies), or null
     */
    public TaskRecord submit(Caller caller, Session session, String kind, JsonNode request, TaskSecrets secrets,
                             DialectData dialect, String id, TaskRecord.Race race) {
        // whether the worker records it is settled now, from the task, its session and its kind (ADR 0042)
        TaskRecord task = TaskRecord.created(id, caller.tenantId(), session.id(), kind,
                Recordings.decided(request, session.options(), kind), dialect, race, caller.keyId(), clock.instant());
        // the values go to the vault before the task exists, so that no worker can start without them
        ends.seal(caller.tenantId(), task.id(), secrets);
        try {
            // the limit is a condition of the write itself: concurrent submissions cannot both take the last place
            tasks.create(task, settings.maxTasks());
        } catch (RuntimeException e) {
            if (!secrets.isEmpty()) {
                ends.discard(caller.tenantId(), task.id());
            }
            if (e instanceof LimitReachedException) {
                throw new ApiException(429, "too_many_tasks", "this tenant has " + settings.maxTasks()
                        + " tasks waiting or running, its limit; retry when some have finished",
                        Map.of("retryAfterSeconds", 5));
            }
            throw e;
        }
        // no touch of the session here: the worker moves lastActivityAt when it saves the session's state
        dispatcher.dispatch(task);
        return task;
    }
}
