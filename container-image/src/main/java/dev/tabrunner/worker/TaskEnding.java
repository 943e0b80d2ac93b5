package dev.tabrunner.worker;

import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.port.WorkerEnvironment;
import dev.tabrunner.service.SessionTurns;
import dev.tabrunner.service.TaskEnds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * How a run lets go of its task: it ends it (finished, failed or stopped; the session handed on to its next task
 * and the rules of {@link TaskEnds#ended} applied), or holds it (paused, waiting for a person's answer, or handed
 * on to continue elsewhere; the session's turn stays with the task). Either way the session's browser state is
 * saved first.
 */
final class TaskEnding {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEnding.class);
    private final WorkerEnvironment env;
    private final SessionTurns turns;
    private final TaskEnds ends;
    private final TaskWriter writer;
    private final Progress progress;
    private final ExecutorService background;

    /** @param background where the session is handed on while the task's end is written */
    TaskEnding(WorkerEnvironment env, SessionTurns turns, TaskEnds ends, TaskWriter writer, Progress progress,
               ExecutorService background) {
        this.env = env;
        this.background = background;
        this.turns = turns;
        this.ends = ends;
        this.writer = writer;
        this.progress = progress;
    }

    /**
     * Stores the browser state a run ended with as its session's, and as its environment's when the session has one
     * that still exists (seed 001: environments persist browser data across sessions; the session that last ran a
     * task wins; a deleted environment does not come back); the key of the session's state afterwards.
     */
    String saveBrowserState(Session session, EngineOutcome outcome) {
        if (outcome.storageState() == null) {
            return session.stateKey();
        }
        byte[] state = outcome.storageState().getBytes(StandardCharsets.UTF_8);
        String key = "sessions/" + session.tenantId() + "/" + session.id() + "/state.json";
        env.blobs().put(key, state, "application/json");
        String environment = session.options().environmentId();
        if (environment != null
                && env.blobs().get(BrowserProfile.metadataKey(session.tenantId(), environment)).isPresent()) {
            env.blobs().put(BrowserProfile.stateKey(session.tenantId(), environment), state, "application/json");
        }
        return key;
    }

    /**
     * Ends the task (a stop requested meanwhile wins over any other ending), hands the session on, and applies the
     * rules of a task's end ({@link TaskEnds#ended}).
     *
     * @param session the session whose turn the task holds, as stored when it took it, or null when it never got one
     */
    void end(TaskStatus status, Session session, String url, TaskError error) {
        end(status, session, url, error, b -> b);
    }

    /**
     * As {@link #end(TaskStatus, Session, String, TaskError)}, with what the task kind keeps added to the same write.
     */
    void end(TaskStatus status, Session session, String url, TaskError error,
             UnaryOperator<TaskRecord.Builder> keep) {
        Instant now = env.clock().instant();
        TaskRecord current = writer.current();
        // a session that lives only for this task ends in the same write that saves its state, and before the task
        // reads as ended: whoever sees the task's end sees its session terminated too
        boolean terminates = session != null && TaskEnds.terminatesSession(current);
        if (terminates) {
            giveBack(session, current, url, now, true);
        }
        // otherwise the session is handed on while the task's end is written: two round trips at once. Nothing
        // reads one through the other: the next task of the session takes a turn that is free, whatever this task's
        // row says, and the task's caller hears of its end only once both are done
        Future<?> handedOn = session == null || terminates ? null
                : background.submit(() -> giveBack(session, current, url, now, false));
        TaskRecord done;
        try {
            done = writer.write(t -> {
                TaskStatus s = t.control() == TaskRecord.Control.STOP ? TaskStatus.STOPPED : status;
                return keep.apply(t.toBuilder()).status(s).results(progress.results).finalUrl(url)
                        .artifacts(progress.artifacts()).network(progress.network)
                        .error(s == TaskStatus.FAILED ? error : null).finishedAt(now).lease(null, null)
                        .liveViewUrl(null).build();
            });
        } finally {
            awaitQuietly(handedOn);
        }
        ends.ended(done);
    }

    private static void awaitQuietly(Future<?> f) {
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the turn stays with the ended task: the next taker sees it ended (SessionTurns), nothing is lost
            LOG.warn("could not hand session on: {}", e.getCause().toString());
        }
    }

    /** @param session the session as stored when the task took its turn (the first write needs no read) */
    private void giveBack(Session session, TaskRecord task, String url, Instant now, boolean terminate) {
        String key = progress.stateKey;
        turns.giveBack(session, task.id(), s -> {
            Session next = progress.stateKey == null && url == null ? s
                    : s.withState(url != null ? url : s.currentUrl(), key != null ? key : s.stateKey(),
                    stateVersion(), now);
            return terminate && next.status() != SessionStatus.TERMINATED ? next.terminated(now) : next;
        });
    }

    /** The version this run's state is saved under; a new one when the run named none. */
    private String stateVersion() {
        return progress.stateVersion != null ? progress.stateVersion : Session.newStateVersion();
    }

    /**
     * Lets go of the task without ending it: paused or waiting for an answer until a caller acts, or created again
     * and dispatched to continue in the next invocation. The session's turn stays with the task: it continues where
     * it stopped, before anything else runs in the session.
     *
     * @param keep what the task kind keeps to continue from (a scripted task's results, an agent's checkpoint)
     * @return the task as stored
     */
    TaskRecord hold(TaskStatus held, Session session, String url, String stateKey,
                    UnaryOperator<TaskRecord.Builder> keep) {
        ends.updateSession(session, s -> s.withState(url, stateKey, stateVersion(), env.clock().instant()));
        TaskRecord kept = writer.write(t -> keep.apply(t.toBuilder().status(held).control(null)).finalUrl(url)
                .network(progress.network).artifacts(progress.artifacts())
                .lease(null, held == TaskStatus.CREATED ? env.clock().instant() : null)
                .liveViewUrl(null).build());
        if (held == TaskStatus.CREATED) {
            env.dispatcher().dispatch(kept);
        }
        return kept;
    }
}
