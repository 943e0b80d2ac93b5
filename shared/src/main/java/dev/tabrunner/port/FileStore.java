package dev.tabrunner.port;

import dev.tabrunner.domain.UploadedFile;

import java.util.List;
import java.util.Optional;

/** Metadata of files uploaded to sessions; the bytes are in the {@link BlobStore}. */
public interface FileStore {
    /** Stores or replaces the file of that name in the session. */
    void put(UploadedFile file);

    Optional<UploadedFile> find(String tenantId, String sessionId, String name);

    /** Files of a session, by name. */
    List<UploadedFile> list(String tenantId, String sessionId);
}
