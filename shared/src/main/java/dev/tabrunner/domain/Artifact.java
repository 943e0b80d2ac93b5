package dev.tabrunner.domain;

import java.util.Objects;

/** A file a task produced (screenshot, PDF, page HTML), kept in the blob store under the task. */
public record Artifact(String id, String kind, String filename, String contentType, long size, String blobKey) {
    public Artifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(blobKey, "blobKey");
    }
}
