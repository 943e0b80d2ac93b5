package dev.tabrunner.service;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tasks of one session take turns: the session row names the task that has its browser state to itself
 * ({@link Session#activeTaskId()}), taken and given back with conditional writes, so that two workers — two Lambda
 * invocations — never run tasks of one session at the same time. A turn is held from the first claim until the
 * task ends: a paused task, or one handed on to the next invocation, keeps it. The task that gives the turn back
 * dispatches the oldest waiting task of the session.
 *
 * <p>A turn needs no expiry of its own: it is stale exactly when its task has ended, which the next taker checks.
 * A task whose worker died keeps its turn until the recovery sweep resumes or fails it.
 */
public final class SessionTurns {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTurns.class);
    private static final int ATTEMPTS = 8;
    private static final int LOOK_BACK = 50;

    private final SessionStore sessions;
    private final TaskStore tasks;
    private final TaskDispatcher dispatcher;

    public SessionTurns(SessionStore sessions, TaskStore tasks, TaskDispatcher dispatcher) {
        this.sessions = sessions;
        this.tasks = tasks;
        this.dispatcher = dispatcher;
    }

    /**
     * Takes the session's turn for the task, unless another task that has not ended holds it.
     *
     * @return the session as stored with the turn, or empty when the task must wait
     */
    public Optional<Session> take(Session session, TaskRecord task) {
        Session current = session;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String holder = current.activeTaskId();
            if (task.id().equals(holder)) {
                return Optional.of(current);
            }
            if (holder != null && tasks.findForWorker(holder).map(t -> !t.status().isTerminal()).orElse(false)) {
                return Optional.empty();
            }
            try {
                return Optional.of(sessions.update(current.heldBy(task.id()), current.version()));
            } catch (ConflictException e) {
                Optional<Session> reread = sessions.find(session.tenantId(), session.id());
                if (reread.isEmpty()) {
                    return Optional.empty();
                }
                current = reread.get();
            }
        }
        throw new ConflictException("session_busy", "session " + session.id() + " kept changing");
    }

    /**
     * Gives the turn back if the task holds it, then hands the session to its oldest waiting task.
     *
     * @param apply a change to make in the same write (the worker saves the session's browser state here)
     */
    public void giveBack(String tenantId, String sessionId, String taskId, UnaryOperator<Session> apply) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Session> found = sessions.find(tenantId, sessionId);
            if (found.isEmpty()) {
                return;
            }
            Session s = found.get();
            Session next = apply.apply(s);
            if (taskId.equals(s.activeTaskId())) {
                next = next.heldBy(null);
            }
            try {
                sessions.update(next, s.version());
                dispatchNext(tenantId, sessionId, taskId);
                return;
            } catch (ConflictException e) {
                // changed by someone else: read again and re-apply
            }
        }
        LOG.warn("could not give back the turn of session {} after repeated conflicts", sessionId);
    }

    /** Dispatches the oldest task of the session that waits to run. */
    public void dispatchNext(String tenantId, String sessionId, String afterTaskId) {
        tasks.listBySession(tenantId, sessionId, LOOK_BACK, null).items().stream()
                .filter(t -> t.status() == TaskStatus.CREATED && !t.id().equals(afterTaskId))
                .min(Comparator.comparing(TaskRecord::createdAt))
                .ifPresent(next -> {
                    LOG.debug("session {}: dispatching waiting task {}", sessionId, next.id());
                    dispatcher.dispatch(next);
                });
    }
}
