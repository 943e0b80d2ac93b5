package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.Artifact;

import dev.tabrunner.domain.CredentialSecret;

import java.util.List;
import java.util.Optional;

/** What the engine needs from the task around it: somewhere to checkpoint, store artifacts and find files. */
public interface EngineListener {
    /** A listener that keeps nothing: for runs outside any task (the class-data training run, benchmarks, tests). */
    static EngineListener discarding() {
        return new DiscardingListener();
    }

    /**
     * Called after each action succeeds, with the results so far and the page's URL; the worker checkpoints here.
     *
     * @throws TaskInterrupted when the checkpoint shows the task must not go on
     */
    void actionCompleted(ArrayNode resultsSoFar, String url);

    /** Stores a produced file and returns its reference. */
    Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes);

    /** A file previously uploaded to the session. */
    Optional<UploadedBytes> uploadedFile(String name);

    /** A vault credential of the task's tenant, or empty when there is none (or it was deleted). */
    Optional<ResolvedCredential> credential(String credentialId);

    /**
     * Opens the live view of this task for a person, reachable for {@code pause}; its URL is recorded on the
     * task so that the caller can hand it to that person.
     */
    LiveSession openLiveView(java.time.Duration pause);

    /** The worker's side of an open live view. */
    interface LiveSession extends AutoCloseable {
        String url();

        void publishFrame(byte[] jpeg);

        List<com.fasterxml.jackson.databind.JsonNode> drainInput();

        @Override
        void close();
    }

    record UploadedBytes(String name, String contentType, byte[] bytes) {
    }

    /** A credential's allowed origins and secret, resolved at the moment the action runs. */
    record ResolvedCredential(List<String> origins, CredentialSecret secret) {
    }
}
