package dev.tabrunner.service;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tasks of one session take turns: the session row names the task that has its browser state to itself
 * ({@link Session#activeTaskId()}), taken and given back with conditional writes, so that two workers — two Lambda
 * invocations — never run tasks of one session at the same time. A turn is held from the first claim until the
 * task ends: a paused task, or one handed on to the next invocation, keeps it. A task that finds the turn taken
 * says so on the session row ({@link Session#waitingTaskIds()}) in the same conditional write that checks the turn,
 * so the task that gives the turn back sees it and dispatches the oldest waiting task of the session; when no task
 * waits, giving the turn back reads no task list.
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
     * @return the session as stored with the turn, or empty when the task must wait (it then stores itself as
     *     waiting to be dispatched, and calls {@link #waitFor})
     */
    public Optional<Session> take(Session session, TaskRecord task) {
        Session current = session;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (heldByAnother(current, task)) {
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
     * Names the task (stored as waiting to be dispatched) among the session's waiting tasks, so that the task that
     * gives the turn back dispatches it. The write is conditional on the session as read: when the turn was given
     * back in between, the task is dispatched again at once instead, and no wake-up is lost.
     */
    public void waitFor(TaskRecord waiting) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Session> found = sessions.find(waiting.tenantId(), waiting.sessionId());
            if (found.isEmpty()) {
                return;
            }
            Session current = found.get();
            if (!heldByAnother(current, waiting)) {
                dispatcher.dispatch(waiting);
                return;
            }
            try {
                if (current.waitedOnBy(waiting.id()) != current) {
                    sessions.update(current.waitedOnBy(waiting.id()), current.version());
                }
                return;
            } catch (ConflictException e) {
                // changed meanwhile (the turn given back, perhaps): read it again
            }
        }
        // the recovery sweep dispatches a task that waited too long
        LOG.warn("could not mark task {} as waiting for session {}", waiting.id(), waiting.sessionId());
    }

    private boolean heldByAnother(Session session, TaskRecord task) {
        String holder = session.activeTaskId();
        return holder != null && !task.id().equals(holder)
                && tasks.findForWorker(holder).map(t -> !t.status().isTerminal()).orElse(false);
    }

    /**
     * Gives the turn back if the task holds it, then hands the session to its oldest waiting task.
     *
     * @param apply a change to make in the same write (the worker saves the session's browser state here)
     */
    public void giveBack(String tenantId, String sessionId, String taskId, UnaryOperator<Session> apply) {
        giveBack(tenantId, sessionId, taskId, null, apply);
    }

    /**
     * As {@link #giveBack(String, String, String, UnaryOperator)}, starting from the session as the task's worker
     * stored it when it took the turn: no read before the first write, which succeeds unless someone else changed
     * the session meanwhile (then it is read again).
     */
    public void giveBack(Session known, String taskId, UnaryOperator<Session> apply) {
        giveBack(known.tenantId(), known.id(), taskId, known, apply);
    }

    private void giveBack(String tenantId, String sessionId, String taskId, Session known,
                          UnaryOperator<Session> apply) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Session> found = attempt == 0 && known != null ? Optional.of(known)
                    : sessions.find(tenantId, sessionId);
            if (found.isEmpty()) {
                return;
            }
            Session s = found.get();
            Session next = apply.apply(s).noLongerWaitedOnBy(List.of(taskId));
            if (taskId.equals(s.activeTaskId())) {
                next = next.heldBy(null);
            }
            try {
                Session stored = sessions.update(next, s.version());
                if (!stored.waitingTaskIds().isEmpty()) {
                    dispatchNext(stored, taskId);
                }
                return;
            } catch (ConflictException e) {
                // changed by someone else: read again and re-apply
            }
        }
        LOG.warn("could not give back the turn of session {} after repeated conflicts", sessionId);
    }

    /**
     * Dispatches the oldest task of the session that waits to run. Tasks named as waiting that no longer do (stopped,
     * paused or ended meanwhile) are taken off the session, so that the next give-back reads no task list for them.
     */
    private void dispatchNext(Session session, String afterTaskId) {
        Page<TaskRecord> listing = tasks.listBySession(session.tenantId(), session.id(), LOOK_BACK, null);
        List<TaskRecord> waiting = listing.items().stream()
                .filter(t -> t.status() == TaskStatus.CREATED && !t.id().equals(afterTaskId)).toList();
        waiting.stream().min(Comparator.comparing(TaskRecord::createdAt)).ifPresent(next -> {
            LOG.debug("session {}: dispatching waiting task {}", session.id(), next.id());
            dispatcher.dispatch(next);
        });
        // a task the listing shows not waiting is stale; one it does not show only when the listing is complete
        List<TaskRecord> listed = listing.items();
        boolean complete = listing.nextCursor() == null;
        List<String> stale = session.waitingTaskIds().stream()
                .filter(id -> waiting.stream().noneMatch(t -> t.id().equals(id)))
                .filter(id -> complete || listed.stream().anyMatch(t -> t.id().equals(id))).toList();
        if (!stale.isEmpty()) {
            forgetWaiting(session, stale);
        }
    }

    /** Best effort: a task left named as waiting costs the next give-back one task listing, nothing else. */
    private void forgetWaiting(Session session, List<String> stale) {
        Session current = session;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Session next = current.noLongerWaitedOnBy(stale);
            if (next == current) {
                return;
            }
            try {
                sessions.update(next, current.version());
                return;
            } catch (ConflictException e) {
                Optional<Session> reread = sessions.find(session.tenantId(), session.id());
                if (reread.isEmpty()) {
                    return;
                }
                current = reread.get();
            }
        }
    }
}
