package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.port.WorkerEnvironment;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the engine gets from the worker while a task runs: checkpoints through the task's writer, artifacts and
 * uploaded files in the blob store, the tenant's credentials from the vault, and the task's live view.
 */
final class WorkerListener implements EngineListener {
    private final WorkerEnvironment env;
    private final TaskWriter writer;
    private final Progress progress;
    private final String workerId;
    private final Duration lease;
    private final LiveViewHandle liveView;
    private final String keyPrefix;

    /**
     * @param keyPrefix the first segment of the keys of the task's files, or null for the default
     * @param liveView  the run's live view
     */
    WorkerListener(WorkerEnvironment env, TaskWriter writer, Progress progress, String workerId, Duration lease,
                   String keyPrefix, LiveViewHandle liveView) {
        this.env = env;
        this.keyPrefix = keyPrefix;
        this.writer = writer;
        this.progress = progress;
        this.workerId = workerId;
        this.lease = lease;
        this.liveView = liveView;
    }

    /**
     * Checkpoints are written behind the browser: the next action starts while the previous checkpoint is
     * being stored, and at most one write is outstanding, so the stored state is never more than one action
     * behind and the writes stay in order (each is conditional on the one before).
     */
    @Override
    public void actionCompleted(ArrayNode resultsSoFar, String url) {
        progress.results = resultsSoFar;
        List<Artifact> artifacts = progress.artifacts();
        writer.writeBehind(t -> t.toBuilder().results(resultsSoFar).finalUrl(url).artifacts(artifacts)
                .lease(workerId, env.clock().instant().plus(lease)).build());
    }

    /**
     * Stored under {@code tasks/<tenant>/<task>/<id>-<name>}; under a task's own prefix the file keeps its plain
     * name, {@code <prefix>/<tenant>/<task>/<name>} (what its dialect shows and the operator's lifecycle rule for
     * that prefix deletes), unless an earlier file of the task has that name.
     */
    @Override
    public Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes) {
        TaskRecord t = writer.current();
        String id = UUID.randomUUID().toString();
        // the key is ours: a page names its downloads ("my report.pdf", "../../x"), and the name is metadata
        String key;
        if (keyPrefix == null) {
            key = "tasks/" + t.tenantId() + "/" + t.id() + "/" + id;
        } else {
            // a dialect that serves its files by name (browsing screenshots) keeps the name, made safe, in the key
            boolean taken = progress.artifacts().stream().anyMatch(a -> a.filename().equals(filename));
            key = keyPrefix + "/" + t.tenantId() + "/" + t.id() + "/" + (taken ? id + "-" : "")
                    + Artifact.safeFilename(filename);
        }
        env.blobs().put(key, bytes, contentType);
        Artifact artifact = new Artifact(id, kind, filename, contentType, bytes.length, key);
        progress.artifacts.add(artifact);
        return artifact;
    }

    @Override
    public LiveSession openLiveView(Duration pause) {
        return liveView.open(pause);
    }

    @Override
    public void betweenActions(Page page) {
        liveView.betweenActions(page);
    }

    @Override
    public void meanwhile(Page page) {
        liveView.meanwhile(page);
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
