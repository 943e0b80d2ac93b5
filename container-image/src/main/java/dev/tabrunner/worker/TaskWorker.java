package dev.tabrunner.worker;

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
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.TaskExecutor;
import dev.tabrunner.port.WorkerEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks: claims one with a conditional write, rebuilds the session's browser from its saved state, runs the
 * actions with a checkpoint after each, stores what they produced, saves the session's new state and finishes the
 * task with a conditional write. Each calling thread gets its own browser.
 */
public final class TaskWorker implements TaskExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final WorkerEnvironment env;
    private final PlaywrightEngine engine;
    private final BrowserSettings settings;
    private final String workerId = "worker-" + UUID.randomUUID();
    private final List<BrowserHost> hosts = new CopyOnWriteArrayList<>();
    private final ThreadLocal<BrowserHost> host = ThreadLocal.withInitial(this::newHost);
    private final ExecutorService checkpointWriter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tabrunner-checkpoint");
        t.setDaemon(true);
        return t;
    });

    public TaskWorker(WorkerEnvironment env) {
        this.env = env;
        this.settings = BrowserSettings.from(env.settings());
        this.engine = new PlaywrightEngine(settings, env.clock());
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
            if (claimed.isEmpty()) {
                return;
            }
            try {
                run(claimed.get());
            } catch (TaskTakenOver e) {
                LOG.info("task {} was changed by someone else ({}); leaving it", taskId, e.getMessage());
            }
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
            LOG.info("task {} is {}; not claiming it", taskId, task.status());
            return Optional.empty();
        }
        TaskRecord running = task.toBuilder().status(TaskStatus.RUNNING)
                .startedAt(task.startedAt() == null ? now : task.startedAt())
                .lease(workerId, now.plus(LEASE)).attempts(task.attempts() + 1).build();
        try {
            env.tasks().update(running);
            return Optional.of(running);
        } catch (ConflictException e) {
            LOG.info("task {} was claimed by another worker", taskId);
            return Optional.empty();
        }
    }

    private void run(TaskRecord claimed) {
        Progress progress = new Progress(claimed);
        Session session = env.sessions().find(claimed.tenantId(), claimed.sessionId()).orElse(null);
        if (session == null) {
            finish(progress, null, TaskError.of(404, "session_not_found", "session "
                    + claimed.sessionId() + " does not exist"));
            return;
        }
        SessionStatus status = session.statusAt(env.clock().instant());
        if (status != SessionStatus.ACTIVE) {
            finish(progress, null, TaskError.of(410, "session_" + status.wireName(), "session "
                    + session.id() + " is " + status.wireName() + "; create a new session"));
            return;
        }
        TaskRequest request;
        try {
            request = TaskRequestParser.parse(claimed.request());
        } catch (InvalidRequestException e) {
            finish(progress, null, new TaskError(400, "invalid_request", e.getMessage(), e.actionIndex(),
                    e.actionType()));
            return;
        }
        String storageState = session.stateKey() == null ? null : env.blobs().get(session.stateKey())
                .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        EngineOutcome outcome = engine.run(host.get(), session.options(), storageState, session.currentUrl(),
                request, new Listener(progress));
        progress.awaitCheckpoint();
        saveSessionState(session, outcome);
        progress.results = outcome.results();
        finish(progress, outcome.finalUrl(), outcome.error());
    }

    private void saveSessionState(Session session, EngineOutcome outcome) {
        String key = session.stateKey();
        if (outcome.storageState() != null) {
            key = "sessions/" + session.tenantId() + "/" + session.id() + "/state.json";
            env.blobs().put(key, outcome.storageState().getBytes(StandardCharsets.UTF_8), "application/json");
        }
        String url = outcome.finalUrl() != null ? outcome.finalUrl() : session.currentUrl();
        Session current = session;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                env.sessions().update(current.withState(url, key, env.clock().instant()), current.version());
                return;
            } catch (ConflictException e) {
                Optional<Session> reread = env.sessions().find(session.tenantId(), session.id());
                if (reread.isEmpty()) {
                    return;
                }
                current = reread.get();
            }
        }
        LOG.warn("could not save the state of session {} after repeated conflicts", session.id());
    }

    private void finish(Progress progress, String finalUrl, TaskError error) {
        progress.awaitCheckpoint();
        Instant now = env.clock().instant();
        TaskRecord done = progress.current.toBuilder()
                .status(error == null ? TaskStatus.FINISHED : TaskStatus.FAILED)
                .results(progress.results).finalUrl(finalUrl).artifacts(List.copyOf(progress.artifacts))
                .error(error).finishedAt(now).lease(null, null).build();
        try {
            env.tasks().update(done);
        } catch (ConflictException e) {
            LOG.info("task {} changed before it could be finished; keeping the other writer's state",
                    progress.current.id());
        }
    }

    /** The latest stored version of the running task, plus what it has produced. */
    private static final class Progress {
        TaskRecord current;
        ArrayNode results;
        final List<Artifact> artifacts = new ArrayList<>();
        Future<TaskRecord> pending;

        Progress(TaskRecord current) {
            this.current = current;
            this.results = current.results();
        }

        /** Waits for the outstanding checkpoint; a lost conditional write means someone else took the task. */
        void awaitCheckpoint() {
            if (pending == null) {
                return;
            }
            try {
                current = pending.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConflictException) {
                    throw new TaskTakenOver("checkpoint lost to another writer");
                }
                throw new IllegalStateException("checkpoint failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskTakenOver("interrupted");
            } finally {
                pending = null;
            }
        }
    }

    private final class Listener implements EngineListener {
        private final Progress progress;

        Listener(Progress progress) {
            this.progress = progress;
        }

        /**
         * Checkpoints are written behind the browser: the next action starts while the previous checkpoint is
         * being stored, and at most one write is outstanding, so the stored state is never more than one action
         * behind and the writes stay in order (each is conditional on the one before).
         */
        @Override
        public void actionCompleted(ArrayNode resultsSoFar) {
            progress.awaitCheckpoint();
            progress.results = resultsSoFar;
            TaskRecord next = progress.current.toBuilder().results(resultsSoFar)
                    .artifacts(List.copyOf(progress.artifacts))
                    .lease(workerId, env.clock().instant().plus(LEASE)).build();
            progress.pending = checkpointWriter.submit(() -> {
                env.tasks().update(next);
                return next;
            });
        }

        @Override
        public Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes) {
            TaskRecord t = progress.current;
            String id = UUID.randomUUID().toString();
            String key = "tasks/" + t.tenantId() + "/" + t.id() + "/" + id + "-" + filename;
            env.blobs().put(key, bytes, contentType);
            Artifact artifact = new Artifact(id, kind, filename, contentType, bytes.length, key);
            progress.artifacts.add(artifact);
            return artifact;
        }

        @Override
        public LiveSession openLiveView(Duration pause) {
            progress.awaitCheckpoint();
            TaskRecord t = progress.current;
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            env.liveView().open(t.id(), token, env.clock().instant().plus(pause));
            String url = "/live/" + t.id() + "?token=" + token;
            setLiveViewUrl(url);
            return new LiveSession() {
                @Override
                public String url() {
                    return url;
                }

                @Override
                public void publishFrame(byte[] jpeg) {
                    env.liveView().publishFrame(t.id(), jpeg);
                }

                @Override
                public List<com.fasterxml.jackson.databind.JsonNode> drainInput() {
                    return env.liveView().drainInput(t.id());
                }

                @Override
                public void close() {
                    env.liveView().close(t.id());
                    setLiveViewUrl(null);
                }
            };
        }

        private void setLiveViewUrl(String url) {
            progress.awaitCheckpoint();
            TaskRecord next = progress.current.toBuilder().liveViewUrl(url).build();
            try {
                env.tasks().update(next);
                progress.current = next;
            } catch (ConflictException e) {
                throw new TaskTakenOver("live view update lost to another writer");
            }
        }

        @Override
        public Optional<ResolvedCredential> credential(String credentialId) {
            TaskRecord t = progress.current;
            return env.credentials().find(t.tenantId(), credentialId)
                    .flatMap(c -> env.vault().get(t.tenantId(), c.id())
                            .map(secret -> new ResolvedCredential(c.origins(), secret)));
        }

        @Override
        public Optional<UploadedBytes> uploadedFile(String name) {
            TaskRecord t = progress.current;
            return env.files().find(t.tenantId(), t.sessionId(), name)
                    .flatMap(f -> env.blobs().get(f.blobKey())
                            .map(bytes -> new UploadedBytes(f.name(), f.contentType(), bytes)));
        }
    }

    /** Thrown out of the engine when another writer (a stop, a second worker) took the task over. */
    static final class TaskTakenOver extends RuntimeException {
        TaskTakenOver(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        checkpointWriter.shutdownNow();
        for (BrowserHost h : hosts) {
            h.close();
        }
        hosts.clear();
    }
}
