package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PlaywrightEngine;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.TaskExecutor;
import dev.tabrunner.port.WorkerEnvironment;
import dev.tabrunner.service.SessionTurns;
import dev.tabrunner.service.TaskEnds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks: claims one with a conditional write, takes its session's turn, rebuilds the session's browser from
 * its saved state, runs the actions with a checkpoint after each, stores what they produced, saves the session's
 * new state and ends the task with a conditional write.
 *
 * <p>While a task runs, a watcher reads it about once a second, which is how a stop or pause request reaches the
 * run, and renews the worker's lease well before it expires. A worker that dies stops renewing; the recovery sweep
 * then dispatches the task again and the next worker resumes it from its checkpoint (the actions already done are
 * not repeated), or fails it when its attempts are spent. Each calling thread gets its own browser.
 */
public final class TaskWorker implements TaskExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest one action may take (the largest {@code timeoutMs}): a run yields when less than this is left. */
    private static final Duration ACTION_BUDGET = Duration.ofMillis(TaskRequestParser.MAX_TIMEOUT_MS);

    private final WorkerEnvironment env;
    private final PlaywrightEngine engine;
    private final BrowserSettings settings;
    private final SessionTurns turns;
    private final Duration lease;
    private final int maxAttempts;
    private final String workerId = "worker-" + UUID.randomUUID();
    private final AgentTasks agents;
    private final TaskEnds ends;
    private final List<BrowserHost> hosts = new CopyOnWriteArrayList<>();
    private final ThreadLocal<BrowserHost> host = ThreadLocal.withInitial(this::newHost);
    private final ExecutorService writers = Executors.newCachedThreadPool(daemon("tabrunner-checkpoint"));
    private final ScheduledExecutorService watchers = Executors.newScheduledThreadPool(1,
            daemon("tabrunner-task-watcher"));

    public TaskWorker(WorkerEnvironment env) {
        this.env = env;
        this.settings = BrowserSettings.from(env.settings());
        this.engine = new PlaywrightEngine(settings, env.clock());
        this.turns = new SessionTurns(env.sessions(), env.tasks(), env.dispatcher());
        this.lease = Duration.ofMillis(Long.parseLong(env.setting("TABRUNNER_LEASE_MS", "60000")));
        this.maxAttempts = Integer.parseInt(env.setting("TABRUNNER_MAX_ATTEMPTS", "3"));
        this.ends = new TaskEnds(env.vault(), env.sessions(), env.clock());
        this.agents = new AgentTasks(env, ends);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private BrowserHost newHost() {
        BrowserHost h = new BrowserHost(settings);
        hosts.add(h);
        return h;
    }

    @Override
    public void execute(String taskId, Instant yieldBy) {
        try {
            Optional<TaskRecord> claimed = claim(taskId);
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

    private Optional<TaskRecord> claim(String taskId) {
        TaskRecord task = env.tasks().findForWorker(taskId).orElse(null);
        if (task == null) {
            LOG.warn("task {} does not exist", taskId);
            return Optional.empty();
        }
        Instant now = env.clock().instant();
        boolean abandoned = task.status() == TaskStatus.RUNNING && task.leaseExpiresAt() != null
                && now.isAfter(task.leaseExpiresAt());
        if (task.status() != TaskStatus.CREATED && !abandoned) {
            LOG.debug("task {} is {}; not claiming it", taskId, task.status());
            return Optional.empty();
        }
        try {
            if (abandoned && task.attempts() >= maxAttempts) {
                env.tasks().update(task.toBuilder().status(TaskStatus.FAILED).finishedAt(now).lease(null, null)
                        .error(TaskError.of(503, "worker_lost", "the worker running this task stopped responding "
                                + task.attempts() + " times; giving up")).build());
                LOG.warn("task {} failed: its workers were lost {} times", taskId, task.attempts());
                turns.giveBack(task.tenantId(), task.sessionId(), task.id(), s -> s);
                return Optional.empty();
            }
            if (abandoned) {
                LOG.info("resuming task {} abandoned by {} after {} result(s)", taskId, task.leaseOwner(),
                        task.results().size());
            }
            TaskRecord running = task.toBuilder().status(TaskStatus.RUNNING)
                    .startedAt(task.startedAt() == null ? now : task.startedAt())
                    .lease(workerId, now.plus(lease)).attempts(task.attempts() + 1).build();
            env.tasks().update(running);
            return Optional.of(running);
        } catch (ConflictException e) {
            LOG.debug("task {} was claimed by another worker", taskId);
            return Optional.empty();
        }
    }

    private void run(TaskRecord claimed, Instant yieldBy) {
        TaskWriter writer = new TaskWriter(env.tasks(), workerId, claimed, writers);
        Progress progress = new Progress(claimed);
        Session session = env.sessions().find(claimed.tenantId(), claimed.sessionId()).orElse(null);
        if (session == null) {
            end(writer, progress, TaskStatus.FAILED, null, null, TaskError.of(404, "session_not_found", "session "
                    + claimed.sessionId() + " does not exist"));
            return;
        }
        SessionStatus status = session.statusAt(env.clock().instant());
        if (status != SessionStatus.ACTIVE) {
            end(writer, progress, TaskStatus.FAILED, null, null, TaskError.of(410, "session_" + status.wireName(),
                    "session " + session.id() + " is " + status.wireName() + "; create a new session"));
            return;
        }
        Optional<Session> turn = turns.take(session, claimed);
        if (turn.isEmpty()) {
            // another task of the session has not ended: wait for it to hand the session on
            writer.write(t -> t.toBuilder().status(TaskStatus.CREATED).attempts(claimed.attempts() - 1)
                    .lease(null, env.clock().instant()).build());
            LOG.debug("task {} waits for session {}", claimed.id(), session.id());
            return;
        }
        session = turn.get();
        if (TaskRecord.KIND_AGENT.equals(claimed.kind())) {
            runAgent(claimed, yieldBy, writer, progress, session);
            return;
        }
        TaskRequest request;
        try {
            request = TaskRequestParser.parse(claimed.request());
        } catch (InvalidRequestException e) {
            end(writer, progress, TaskStatus.FAILED, session, null, new TaskError(400, "invalid_request",
                    e.getMessage(), e.actionIndex(), e.actionType()));
            return;
        }
        String storageState = session.stateKey() == null ? null : env.blobs().get(session.stateKey())
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        boolean resuming = !claimed.results().isEmpty();
        String resumeUrl = resuming && claimed.finalUrl() != null ? claimed.finalUrl() : session.currentUrl();
        Control control = new Control(writer, yieldBy);
        ScheduledFuture<?> watcher = watchers.scheduleWithFixedDelay(control::watch, 1, 1, TimeUnit.SECONDS);
        EngineOutcome outcome;
        try {
            outcome = engine.run(host.get(), session.options(), storageState, resumeUrl, request,
                    claimed.results(), new Listener(writer, progress), control);
        } finally {
            watcher.cancel(false);
        }
        writer.await();
        progress.results = outcome.results();
        progress.network = outcome.network();
        TaskInterrupted.Reason interrupted = outcome.interrupted();
        if (interrupted == TaskInterrupted.Reason.LOST) {
            LOG.info("task {} was taken over while it ran; leaving it", claimed.id());
            return;
        }
        String key = saveBrowserState(session, outcome);
        String url = outcome.finalUrl() != null ? outcome.finalUrl() : session.currentUrl();
        if (interrupted == TaskInterrupted.Reason.PAUSE || interrupted == TaskInterrupted.Reason.YIELD) {
            boolean pause = interrupted == TaskInterrupted.Reason.PAUSE;
            // the session's turn stays with the task: it continues where it stopped, before anything else runs
            ends.updateSession(session, s -> s.withState(url, key, env.clock().instant()));
            TaskRecord held = writer.write(t -> t.toBuilder().status(pause ? TaskStatus.PAUSED : TaskStatus.CREATED)
                    .control(null).results(progress.results).finalUrl(url).network(progress.network)
                    .artifacts(List.copyOf(progress.artifacts)).lease(null, pause ? null : env.clock().instant())
                    .build());
            LOG.info("task {} {} after {} action(s)", held.id(), pause ? "paused" : "yielded",
                    progress.results.size());
            if (!pause) {
                env.dispatcher().dispatch(held);
            }
            return;
        }
        TaskStatus end = interrupted == TaskInterrupted.Reason.STOP ? TaskStatus.STOPPED
                : outcome.error() == null ? TaskStatus.FINISHED : TaskStatus.FAILED;
        progress.finalUrl = url;
        progress.stateKey = key;
        end(writer, progress, end, session, url, end == TaskStatus.FAILED ? outcome.error() : null);
    }

    /**
     * A natural-language task: the agent loop runs as a program in a page the engine prepares, checkpointing
     * after every step; it ends like a scripted task, or lets go of the task to pause, to wait for a person's
     * answer ({@code guardrail_trigger}) or to be continued by the next invocation.
     */
    private void runAgent(TaskRecord claimed, Instant yieldBy, TaskWriter writer, Progress progress,
                          Session session) {
        AgentTasks.Prepared prepared;
        try {
            prepared = agents.prepare(claimed);
        } catch (AgentTasks.CannotRun e) {
            end(writer, progress, TaskStatus.FAILED, session, null, e.error());
            return;
        }
        String storageState = session.stateKey() == null ? null : env.blobs().get(session.stateKey())
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        // URLs are stored with the task's secrets concealed (a GET form may put a password in one); the run that
        // continues the task has the secrets and puts them back to reopen the page
        // a task that begins at its startingUrl has no use for the session's last page
        boolean navigatesFirst = prepared.request().startingUrl() != null && !prepared.state().started();
        String resumeUrl = navigatesFirst || session.currentUrl() == null ? null
                : prepared.secrets().substitute(session.currentUrl());
        Control control = new Control(writer, yieldBy);
        Listener listener = new Listener(writer, progress);
        AgentRun agent = new AgentRun(prepared, writer, control, listener, () -> List.copyOf(progress.artifacts),
                workerId, lease, env.clock());
        ScheduledFuture<?> watcher = watchers.scheduleWithFixedDelay(control::watch, 1, 1, TimeUnit.SECONDS);
        EngineOutcome outcome;
        try {
            outcome = engine.runProgram(host.get(), session.options(), storageState, resumeUrl,
                    prepared.request().browsing(), agent.program(), listener, control);
        } finally {
            watcher.cancel(false);
        }
        writer.await();
        TaskInterrupted.Reason interrupted = outcome.interrupted();
        if (interrupted == TaskInterrupted.Reason.LOST) {
            LOG.info("agent task {} was taken over while it ran; leaving it", claimed.id());
            return;
        }
        // the network log holds full URLs, which may carry what a page was sent (a password in a GET form)
        progress.network = outcome.network() == null ? null
                : (com.fasterxml.jackson.databind.node.ArrayNode) prepared.secrets().conceal(outcome.network());
        JsonNode checkpoint = agent.state().checkpointJson();
        JsonNode shown = agent.state().progressJson();
        String key = saveBrowserState(session, outcome);
        String url = prepared.secrets().conceal(outcome.finalUrl() != null ? outcome.finalUrl()
                : session.currentUrl());
        if (interrupted == TaskInterrupted.Reason.PAUSE || interrupted == TaskInterrupted.Reason.YIELD) {
            TaskStatus held = agent.waitingForAnswer() ? TaskStatus.GUARDRAIL
                    : interrupted == TaskInterrupted.Reason.PAUSE ? TaskStatus.PAUSED : TaskStatus.CREATED;
            ends.updateSession(session, s -> s.withState(url, key, env.clock().instant()));
            TaskRecord kept = writer.write(t -> t.toBuilder().status(held).control(null).checkpoint(checkpoint)
                    .agent(shown).finalUrl(url).network(progress.network)
                    .artifacts(List.copyOf(progress.artifacts))
                    .lease(null, held == TaskStatus.CREATED ? env.clock().instant() : null).build());
            LOG.info("agent task {} is {} after {} step(s)", kept.id(), held.nativeName(),
                    agent.state().stepsTaken());
            if (held == TaskStatus.CREATED) {
                env.dispatcher().dispatch(kept);
            }
            return;
        }
        writer.write(t -> t.toBuilder().checkpoint(checkpoint).agent(shown).build());
        agents.saveProfile(claimed, prepared.request().profile(), outcome.storageState());
        TaskStatus status = interrupted == TaskInterrupted.Reason.STOP ? TaskStatus.STOPPED
                : outcome.error() == null ? TaskStatus.FINISHED : TaskStatus.FAILED;
        progress.stateKey = key;
        end(writer, progress, status, session, url, status == TaskStatus.FAILED ? outcome.error() : null);
    }

    /**
     * Ends the task (a stop requested meanwhile wins over any other ending), hands the session on, and applies the
     * rules of a task's end ({@link TaskEnds#ended}).
     */
    private void end(TaskWriter writer, Progress progress, TaskStatus status, Session session, String url,
                     TaskError error) {
        Instant now = env.clock().instant();
        TaskRecord done = writer.write(t -> {
            TaskStatus s = t.control() == TaskRecord.Control.STOP ? TaskStatus.STOPPED : status;
            return t.toBuilder().status(s).results(progress.results).finalUrl(url)
                    .artifacts(List.copyOf(progress.artifacts)).network(progress.network)
                    .error(s == TaskStatus.FAILED ? error : null).finishedAt(now).lease(null, null).build();
        });
        if (session != null) {
            String key = progress.stateKey;
            turns.giveBack(done.tenantId(), done.sessionId(), done.id(), s -> progress.stateKey == null && url == null
                    ? s : s.withState(url != null ? url : s.currentUrl(), key != null ? key : s.stateKey(), now));
        }
        ends.ended(done);
    }

    private String saveBrowserState(Session session, EngineOutcome outcome) {
        if (outcome.storageState() == null) {
            return session.stateKey();
        }
        String key = "sessions/" + session.tenantId() + "/" + session.id() + "/state.json";
        env.blobs().put(key, outcome.storageState().getBytes(StandardCharsets.UTF_8), "application/json");
        return key;
    }

    /** What the running task has produced so far. */
    private static final class Progress {
        ArrayNode results;
        ArrayNode network;
        String finalUrl;
        String stateKey;
        final List<Artifact> artifacts;

        Progress(TaskRecord claimed) {
            this.results = claimed.results();
            this.network = claimed.network();
            this.artifacts = new ArrayList<>(claimed.artifacts());
        }
    }

    /**
     * What the run checks between actions: requests written on the task (seen by the watcher, or by a write that
     * had to be merged) and the host's own deadline.
     */
    private final class Control implements TaskControl {
        private final TaskWriter writer;
        private final Instant yieldBy;
        private volatile boolean lost;

        Control(TaskWriter writer, Instant yieldBy) {
            this.writer = writer;
            this.yieldBy = yieldBy;
        }

        /** Runs on the watcher thread about once a second. */
        void watch() {
            try {
                TaskRecord seen = writer.refresh(writer.current());
                Instant now = env.clock().instant();
                if (seen.leaseExpiresAt() != null
                        && Duration.between(now, seen.leaseExpiresAt()).compareTo(lease.dividedBy(2)) < 0) {
                    writer.writeBehind(t -> t.toBuilder().lease(workerId, env.clock().instant().plus(lease))
                            .build());
                }
            } catch (TaskInterrupted e) {
                lost = true;
            } catch (RuntimeException e) {
                LOG.warn("watching task {} failed: {}", writer.current().id(), e.getMessage());
            }
        }

        @Override
        public void betweenActions() {
            duringAction();
            if (writer.current().control() == TaskRecord.Control.PAUSE) {
                throw new TaskInterrupted(TaskInterrupted.Reason.PAUSE, "pause requested");
            }
            if (yieldBy != null && env.clock().instant().plus(ACTION_BUDGET).isAfter(yieldBy)) {
                throw new TaskInterrupted(TaskInterrupted.Reason.YIELD, "the host's time limit is near");
            }
        }

        @Override
        public void duringAction() {
            if (lost) {
                throw new TaskInterrupted(TaskInterrupted.Reason.LOST, "the task was taken over");
            }
            if (writer.current().control() == TaskRecord.Control.STOP) {
                throw new TaskInterrupted(TaskInterrupted.Reason.STOP, "stop requested");
            }
        }
    }

    private final class Listener implements EngineListener {
        private final TaskWriter writer;
        private final Progress progress;
        private OpenView live;

        Listener(TaskWriter writer, Progress progress) {
            this.writer = writer;
            this.progress = progress;
        }

        /**
         * Checkpoints are written behind the browser: the next action starts while the previous checkpoint is
         * being stored, and at most one write is outstanding, so the stored state is never more than one action
         * behind and the writes stay in order (each is conditional on the one before).
         */
        @Override
        public void actionCompleted(ArrayNode resultsSoFar, String url) {
            progress.results = resultsSoFar;
            List<Artifact> artifacts = List.copyOf(progress.artifacts);
            writer.writeBehind(t -> t.toBuilder().results(resultsSoFar).finalUrl(url).artifacts(artifacts)
                    .lease(workerId, env.clock().instant().plus(lease)).build());
        }

        @Override
        public Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes) {
            TaskRecord t = writer.current();
            String id = UUID.randomUUID().toString();
            String key = "tasks/" + t.tenantId() + "/" + t.id() + "/" + id + "-" + filename;
            env.blobs().put(key, bytes, contentType);
            Artifact artifact = new Artifact(id, kind, filename, contentType, bytes.length, key);
            progress.artifacts.add(artifact);
            return artifact;
        }

        /**
         * One live view per task: an open while one is open (the authenticate {@code prompt_user} flow inside an
         * agent task that keeps a view for its whole run) shares it, keeping its URL and token, so the person
         * already watching is the one asked to log in; the view closes when its last holder closes it. A later
         * deadline extends the shared view (its channel is opened again with the same token, which drops input
         * not yet applied).
         */
        @Override
        public synchronized LiveSession openLiveView(Duration pause) {
            TaskRecord t = writer.current();
            Instant until = env.clock().instant().plus(pause);
            if (live == null) {
                byte[] random = new byte[32];
                RANDOM.nextBytes(random);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                env.liveView().open(t.id(), token, until);
                String url = "/live/" + t.id() + "?token=" + token;
                writer.write(r -> r.toBuilder().liveViewUrl(url).build());
                live = new OpenView(token, url, until);
            } else if (until.isAfter(live.until)) {
                env.liveView().open(t.id(), live.token, until);
                live.until = until;
            }
            live.holders++;
            OpenView view = live;
            return new LiveSession() {
                private boolean closed;

                @Override
                public String url() {
                    return view.url;
                }

                @Override
                public void publishFrame(byte[] jpeg) {
                    env.liveView().publishFrame(t.id(), jpeg);
                }

                @Override
                public List<JsonNode> drainInput() {
                    return env.liveView().drainInput(t.id());
                }

                @Override
                public void close() {
                    synchronized (Listener.this) {
                        if (closed) {
                            return;
                        }
                        closed = true;
                        if (--view.holders > 0) {
                            return;
                        }
                        live = null;
                    }
                    env.liveView().close(t.id());
                    writer.write(r -> r.toBuilder().liveViewUrl(null).build());
                }
            };
        }

        @Override
        public Optional<ResolvedCredential> credential(String credentialId) {
            TaskRecord t = writer.current();
            return env.credentials().find(t.tenantId(), credentialId)
                    .flatMap(c -> env.vault().get(t.tenantId(), c.id())
                            .map(secret -> new ResolvedCredential(c.origins(), secret)));
        }

        @Override
        public Optional<UploadedBytes> uploadedFile(String name) {
            TaskRecord t = writer.current();
            return env.files().find(t.tenantId(), t.sessionId(), name)
                    .flatMap(f -> env.blobs().get(f.blobKey())
                            .map(bytes -> new UploadedBytes(f.name(), f.contentType(), bytes)));
        }
    }

    /** The live view a task has open, and how many openers hold it. */
    private static final class OpenView {
        final String token;
        final String url;
        Instant until;
        int holders;

        OpenView(String token, String url, Instant until) {
            this.token = token;
            this.url = url;
            this.until = until;
        }
    }

    @Override
    public void close() {
        agents.close();
        watchers.shutdownNow();
        writers.shutdownNow();
        for (BrowserHost h : hosts) {
            h.close();
        }
        hosts.clear();
    }
}
