package dev.tabrunner.worker;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.PlaywrightEngine;
import dev.tabrunner.engine.RecordingSpec;
import dev.tabrunner.engine.TaskInterrupted;
import dev.tabrunner.engine.WarmContexts;
import dev.tabrunner.engine.WarmSettings;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.port.TaskExecutor;
import dev.tabrunner.port.WorkerEnvironment;
import dev.tabrunner.recording.Recordings;
import dev.tabrunner.service.SessionTurns;
import dev.tabrunner.service.TaskEnds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs tasks: claims one with a conditional write ({@link TaskClaims}), takes its session's turn, rebuilds the
 * session's browser from its saved state, runs the task's program with a checkpoint after each step, stores what
 * it produced, saves the session's new state and ends the task with a conditional write ({@link TaskEnding}).
 * Every kind of task takes this one path; what differs between the kinds is its {@link RunStrategy}.
 *
 * <p>While a task runs, a {@link TaskWatch} reads it about once a second, which is how a stop or pause request
 * reaches the run, and renews the worker's lease well before it expires. A worker that dies stops renewing; the
 * recovery sweep then dispatches the task again and the next worker resumes it from its checkpoint (the actions
 * already done are not repeated), or fails it when its attempts are spent. Each calling thread gets its own browser.
 */
public final class TaskWorker implements TaskExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);

    private final WorkerEnvironment env;
    private final PlaywrightEngine engine;
    private final WarmContexts warm;
    private final BrowserSettings settings;
    private final long recordingMaxBytes;
    private final SessionTurns turns;
    private final Duration lease;
    private final String workerId = "worker-" + UUID.randomUUID();
    private final TaskClaims claims;
    private final AgentTasks agents;
    private final TaskEnds ends;
    private final List<BrowserHost> hosts = new CopyOnWriteArrayList<>();
    private final ThreadLocal<BrowserHost> host = ThreadLocal.withInitial(this::newHost);
    /** The host launched at start, until a thread takes it as its own. */
    private final AtomicReference<BrowserHost> unclaimed = new AtomicReference<>();
    /** The calling thread's host if it has one, without making one. */
    private final ThreadLocal<BrowserHost> existingHost = new ThreadLocal<>();
    /** Checkpoint writes block on the task store: a thread of their own each, without a pool to size. */
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService watchers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tabrunner-task-watcher").factory());

    /** A worker whose first browser starts launching now, while its host process finishes starting. */
    public TaskWorker(WorkerEnvironment env) {
        this(env, null);
    }

    /**
     * @param first a host already launching its browser ({@link BrowserHost#launchInBackground()}), which the first
     *              thread to run a task takes; null to start one now
     */
    public TaskWorker(WorkerEnvironment env, BrowserHost first) {
        this.env = env;
        // the worker connects to the operator's proxies: their URLs kept in the vault are read once, here
        this.settings = BrowserSettings.from(UpstreamProxies.withVaultProxies(env.settings(), id -> env.vault()
                .get(LanguageModelSettings.OPERATOR_TENANT, id).map(CredentialSecret::password)));
        this.recordingMaxBytes = Recordings.maxBytes(env.settings());
        BrowserHost launching = first != null ? first : new BrowserHost(settings).launchInBackground();
        hosts.add(launching);
        this.unclaimed.set(launching);
        this.warm = new WarmContexts(settings, WarmSettings.from(env.settings()), env.clock());
        this.engine = new PlaywrightEngine(settings, env.clock(), warm);
        this.turns = new SessionTurns(env.sessions(), env.tasks(), env.dispatcher());
        this.lease = Duration.ofMillis(Long.parseLong(env.setting("TABRUNNER_LEASE_MS", "60000")));
        this.claims = new TaskClaims(env.tasks(), env.liveView(), turns, env.clock(), workerId, lease,
                Integer.parseInt(env.setting("TABRUNNER_MAX_ATTEMPTS", "3")));
        this.ends = new TaskEnds(env.vault(), env.sessions(), env.tasks(), env.clock());
        this.agents = new AgentTasks(env, ends);
    }

    private BrowserHost newHost() {
        BrowserHost h = unclaimed.getAndSet(null);
        if (h == null) {
            h = new BrowserHost(settings);
            hosts.add(h);
        }
        existingHost.set(h);
        return h;
    }

    @Override
    public void execute(String taskId, Instant yieldBy) {
        try {
            Optional<TaskRecord> claimed = claims.claim(taskId);
            if (claimed.isPresent()) {
                run(claimed.get(), yieldBy);
            }
        } catch (TaskInterrupted e) {
            LOG.info("task {} was changed by someone else ({}); leaving it", taskId, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("task {} could not be run", taskId, e);
        } finally {
            env.completions().completed(taskId);
        }
    }

    private RunStrategy strategyFor(TaskRecord claimed) {
        if (TaskRecord.KIND_CONNECTION.equals(claimed.kind())) {
            return new ConnectStrategy(claimed, env.connections(), host::get, env.clock());
        }
        return TaskRecord.KIND_AGENT.equals(claimed.kind())
                ? new AgentStrategy(claimed, agents, workerId, lease, env.clock())
                : new ScriptedStrategy(claimed, settings.actionTimeoutMs());
    }

    private void run(TaskRecord claimed, Instant yieldBy) {
        TaskWriter writer = new TaskWriter(env.tasks(), workerId, claimed, writers);
        LiveViewHandle view = new LiveViewHandle(env.liveView(), writer, env.clock());
        boolean lost = true;
        try {
            lost = run(claimed, yieldBy, writer, view);
        } finally {
            view.runEnded(lost);
        }
    }

    /** @return true when the task was taken over by another worker while it ran */
    private boolean run(TaskRecord claimed, Instant yieldBy, TaskWriter writer, LiveViewHandle view) {
        Progress progress = new Progress(claimed);
        TaskEnding ending = new TaskEnding(env, turns, ends, writer, progress, writers);
        Optional<Session> turn = takeTurn(claimed, writer, ending);
        if (turn.isEmpty()) {
            return false;
        }
        Session session = turn.get();
        RunStrategy strategy = strategyFor(claimed);
        try {
            strategy.prepare();
        } catch (CannotRun e) {
            ending.end(TaskStatus.FAILED, session, null, e.error());
            return false;
        }
        // read only when the context is restored: a warm context needs no saved state
        Supplier<String> storageState = () -> session.stateKey() == null ? null : env.blobs().get(session.stateKey())
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        BrowserHost browsers = host.get();
        TaskWatch watch = new TaskWatch(writer, yieldBy, env.clock(), lease, browsers::killRenderers);
        WorkerListener listener = new WorkerListener(env, writer, progress, workerId, lease,
                strategy.artifactKeyPrefix(), view);
        PageProgram program = strategy.program(writer, watch, listener, progress);
        // the state this run saves gets a new version, and the context is kept warm under it; a session that ends with
        // its task keeps nothing, nor does a task that types secrets of its own (either may still continue in a warm
        // context it finds)
        progress.stateVersion = Session.newStateVersion();
        boolean keep = !TaskEnds.terminatesSession(claimed) && strategy.mayKeepContext();
        ContextSpec spec = strategy.context(session, storageState).withReuse(new ContextSpec.Reuse(
                ContextSpec.Reuse.sessionKey(session.tenantId(), session.id()), session.stateVersion(),
                keep ? progress.stateVersion : null));
        if (Recordings.recorded(claimed.request())) {
            spec = spec.withRecording(new RecordingSpec(recordingMaxBytes, strategy.typedSecrets()));
        }
        EngineOutcome outcome;
        watch.start(watchers);
        try {
            outcome = engine.run(browsers, spec, program, listener, watch);
        } finally {
            watch.stop();
        }
        writer.await();
        TaskInterrupted.Reason interrupted = outcome.interrupted();
        if (interrupted == TaskInterrupted.Reason.LOST) {
            LOG.info("task {} was taken over while it ran; leaving it", claimed.id());
            return true;
        }
        String url = strategy.collect(outcome, session, progress);
        String key = ending.saveBrowserState(session, outcome);
        // the view closes before the write a caller waits for: whoever reads the task's end finds the link closed
        view.runEnded(false);
        if (interrupted == TaskInterrupted.Reason.PAUSE || interrupted == TaskInterrupted.Reason.YIELD) {
            TaskRecord kept = ending.hold(strategy.held(interrupted), session, url, key, strategy::keep);
            LOG.info("task {} is {} after {}", kept.id(), kept.status().nativeName(),
                    strategy.progressNote(progress));
            return false;
        }
        strategy.finish(writer, outcome);
        TaskStatus status = interrupted == TaskInterrupted.Reason.STOP ? TaskStatus.STOPPED
                : outcome.error() == null ? TaskStatus.FINISHED : TaskStatus.FAILED;
        progress.stateKey = key;
        ending.end(status, session, url, status == TaskStatus.FAILED ? outcome.error() : null, strategy::keep);
        return false;
    }

    /**
     * The session's turn for the task: empty when the session is gone or ended (the task fails) or another task
     * of it has not ended (the task waits to be handed the session).
     */
    private Optional<Session> takeTurn(TaskRecord claimed, TaskWriter writer, TaskEnding ending) {
        Session session = env.sessions().find(claimed.tenantId(), claimed.sessionId()).orElse(null);
        if (session == null) {
            ending.end(TaskStatus.FAILED, null, null, TaskError.of(404, "session_not_found", "session "
                    + claimed.sessionId() + " does not exist"));
            return Optional.empty();
        }
        SessionStatus status = session.statusAt(env.clock().instant());
        if (status != SessionStatus.ACTIVE) {
            // 404 like the API's answer for a session that is no longer there to run tasks
            ending.end(TaskStatus.FAILED, null, null, TaskError.of(404, "session_" + status.wireName(),
                    "session " + session.id() + " is " + status.wireName() + "; create a new session"));
            return Optional.empty();
        }
        Optional<Session> turn = turns.take(session, claimed);
        if (turn.isEmpty()) {
            // another task of the session has not ended: wait for it to hand the session on
            TaskRecord waiting = writer.write(t -> t.toBuilder().status(TaskStatus.CREATED)
                    .lease(null, env.clock().instant()).liveViewUrl(null).build());
            turns.waitFor(waiting);
            LOG.debug("task {} waits for session {}", claimed.id(), session.id());
        }
        return turn;
    }

    /** Runs on the thread that holds the session's warm context (the dispatcher sees to that). */
    @Override
    public void forget(String tenantId, String sessionId) {
        BrowserHost h = existingHost.get();
        if (h != null) {
            warm.discard(h, ContextSpec.Reuse.sessionKey(tenantId, sessionId));
        }
    }

    @Override
    public void tidy() {
        BrowserHost h = existingHost.get();
        if (h != null) {
            warm.expire(h);
        }
    }

    @Override
    public void close() {
        env.models().close();
        watchers.shutdownNow();
        writers.shutdownNow();
        for (BrowserHost h : hosts) {
            warm.closeAll(h);
            h.close();
        }
        hosts.clear();
    }
}
