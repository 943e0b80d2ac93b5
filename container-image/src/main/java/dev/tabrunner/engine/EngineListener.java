package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.Artifact;

import java.util.Optional;

/** What the engine needs from the task around it: somewhere to checkpoint, store artifacts and find files. */
public interface EngineListener {
    /** Called after each action succeeds, with the results so far; the worker checkpoints here. */
    void actionCompleted(ArrayNode resultsSoFar);

    /** Stores a produced file and returns its reference. */
    Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes);

    /** A file previously uploaded to the session. */
    Optional<UploadedBytes> uploadedFile(String name);

    record UploadedBytes(String name, String contentType, byte[] bytes) {
    }
}
