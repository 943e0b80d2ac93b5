package dev.tabrunner.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A file uploaded to a session (or kept in another namespace of the tenant's: an environment, browser-use v1's
 * uploads), usable by {@code uploadFile} actions. Its bytes live in the blob store.
 *
 * @param id        names this upload (seed 001's "File IDs"); a later upload of the same name is another file with
 *                  another id. Null for files stored before uploads had ids
 * @param sessionId the session, or the namespace, the file belongs to
 */
public record UploadedFile(String id, String sessionId, String tenantId, String name, long size, String contentType,
                           String blobKey, Instant uploadedAt) {
    public UploadedFile {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(blobKey, "blobKey");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
    }

    /** The same file (same id and bytes) listed in another session or namespace. */
    public UploadedFile in(String namespace, Instant at) {
        return new UploadedFile(id, namespace, tenantId, name, size, contentType, blobKey, at);
    }
}
