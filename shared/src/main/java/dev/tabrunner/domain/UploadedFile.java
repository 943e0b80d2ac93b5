package dev.tabrunner.domain;

import java.time.Instant;
import java.util.Objects;

/** A file uploaded to a session, usable by {@code uploadFile} actions. Its bytes live in the blob store. */
public record UploadedFile(String sessionId, String tenantId, String name, long size, String contentType,
                           String blobKey, Instant uploadedAt) {
    public UploadedFile {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(blobKey, "blobKey");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
    }
}
