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

    /**
     * The task's page between two of its actions (called before each action): where the task's live view starts
     * painting once someone watches, and where the person's clicks and keys are applied, never inside an action.
     */
    default void betweenActions(com.microsoft.playwright.Page page) {
    }

    /** The page while the task waits on something other than an action (the agent's model thinking). */
    default void meanwhile(com.microsoft.playwright.Page page) {
    }

    /** The worker's side of an open live view. */
    interface LiveSession extends AutoCloseable {
        String url();

        void publishFrame(byte[] jpeg);

        /**
         * Sends the page's frames to the view as Chromium paints them, from now until the task's run ends (or the
         * page changes).
         *
         * @return false when the page cannot be cast; the caller then publishes screenshots itself
         */
        default boolean cast(com.microsoft.playwright.Page page) {
            return false;
        }

        /** Tells the view that the task asks its person to act now (a login waits for them), or no longer. */
        default void asking(boolean asking) {
        }

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
