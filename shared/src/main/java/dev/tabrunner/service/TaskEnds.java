package dev.tabrunner.service;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The rules of a task's beginning and end that hold wherever it ends: in a worker, or in the API when a task ends
 * without one (stopped while it waited, paused, or waiting for a person's answer). A task's secrets are sealed in
 * the vault before the task exists and leave it when the task ends; a session created for the task alone
 * ({@code terminateOnCompletion}, run-task) ends with it; the first copy of a race ({@link TaskRecord#race()}) to
 * finish stops its siblings; session rows are changed with a conditional write, re-read and re-applied when someone
 * else changed them first.
 */
public final class TaskEnds {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEnds.class);
    private static final int ATTEMPTS = 5;

    private final TaskSecretsVault secrets;
    private final SessionStore sessions;
    private final TaskStore tasks;
    private final Clock clock;

    public TaskEnds(CredentialVault vault, SessionStore sessions, TaskStore tasks, Clock clock) {
        this.secrets = new TaskSecretsVault(vault);
        this.sessions = sessions;
        this.tasks = tasks;
        this.clock = clock;
    }

    /**
     * Stores the secrets of a task about to be created; nothing is stored for a task without secrets.
     *
     * @throws dev.tabrunner.port.StoreUnavailableException when the vault cannot be reached
     */
    public void seal(String tenantId, String taskId, TaskSecrets values) {
        secrets.seal(tenantId, taskId, values);
    }

    /** The secrets of a task; none when it has none or they were discarded. */
    public TaskSecrets open(String tenantId, String taskId) {
        return secrets.open(tenantId, taskId);
    }

    /** Removes the secrets of a task that will not exist after all (its creation failed), or that has ended. */
    public void discard(String tenantId, String taskId) {
        try {
            secrets.discard(tenantId, taskId);
        } catch (RuntimeException e) {
            // the secret stays until the vault is reachable again; the task's end does not depend on it
            LOG.warn("could not discard the secrets of task {}: {}", taskId, e.getMessage());
        }
    }

    /**
     * Applies what follows a task's end: its secrets leave the vault, a session that lives only for the task is
     * terminated, and a copy of a race that finished stops the other copies. Does nothing for a task that has not
     * ended, and is harmless to call twice.
     */
    public void ended(TaskRecord task) {
        if (!task.status().isTerminal()) {
            return;
        }
        if (TaskRecord.KIND_AGENT.equals(task.kind())) {
            discard(task.tenantId(), task.id());
        }
        if (terminatesSession(task)) {
            terminateSession(task.tenantId(), task.sessionId());
        }
        if (task.status() == TaskStatus.FINISHED && task.race() != null) {
            for (String copy : task.race().copies()) {
                if (!copy.equals(task.id())) {
                    stopCopy(task.tenantId(), copy, task.id());
                }
            }
        }
    }

    /**
     * Stops a copy that lost its race: one that has not started (or is paused) ends as stopped here and now; a
     * running one is asked to stop, which its worker obeys within about a second, closing its browser, and then
     * ends it as stopped (applying these rules to it in turn). A copy that has ended is left as it is.
     */
    private void stopCopy(String tenantId, String copyId, String winnerId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            TaskRecord t = tasks.find(tenantId, copyId).orElse(null);
            if (t == null || t.status().isTerminal()
                    || t.status() == TaskStatus.RUNNING && t.control() == TaskRecord.Control.STOP) {
                return;
            }
            TaskRecord next = t.status() == TaskStatus.RUNNING
                    ? t.toBuilder().control(TaskRecord.Control.STOP).build()
                    : t.toBuilder().status(TaskStatus.STOPPED).control(TaskRecord.Control.STOP)
                    .finishedAt(clock.instant()).lease(null, null).build();
            try {
                tasks.update(next);
            } catch (ConflictException e) {
                // changed meanwhile (claimed, checkpointed): decide again on what it is now
                continue;
            }
            LOG.info("task {} lost its race to {}: {}", copyId, winnerId, next.status() == TaskStatus.STOPPED
                    ? "stopped" : "stop requested");
            ended(next);
            return;
        }
        LOG.warn("could not stop task {}, which lost its race to {}, after repeated conflicts", copyId, winnerId);
    }

    /** True for a task whose session lives only for it ({@code terminateOnCompletion}, run-task). */
    public static boolean terminatesSession(TaskRecord task) {
        return task.request().path("terminateOnCompletion").asBoolean(false);
    }

    /** Terminates the session unless it already is; a missing session is left alone. */
    public void terminateSession(String tenantId, String sessionId) {
        boolean done = updateSession(tenantId, sessionId,
                s -> s.status() == SessionStatus.TERMINATED ? s : s.terminated(clock.instant()));
        if (!done) {
            LOG.warn("could not terminate session {} after repeated conflicts", sessionId);
        }
    }

    /**
     * Changes a session with a conditional write, reading it again and re-applying the change when another writer
     * changed it first. A change that returns the session unchanged writes nothing.
     *
     * @return false when the writes kept conflicting (the change was not made); true when it was made or the
     *     session does not exist
     */
    public boolean updateSession(String tenantId, String sessionId, UnaryOperator<Session> change) {
        return sessions.find(tenantId, sessionId).map(s -> updateSession(s, change)).orElse(true);
    }

    /**
     * As {@link #updateSession(String, String, UnaryOperator)}, starting from a session already read (no read
     * before the first write).
     */
    public boolean updateSession(Session known, UnaryOperator<Session> change) {
        Optional<Session> found = Optional.of(known);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                found = sessions.find(known.tenantId(), known.id());
            }
            if (found.isEmpty()) {
                return true;
            }
            Session current = found.get();
            Session next = change.apply(current);
            if (next == current) {
                return true;
            }
            try {
                sessions.update(next, current.version());
                return true;
            } catch (ConflictException e) {
                // changed meanwhile (a turn taken or given back): read it again
            }
        }
        return false;
    }
}
