package dev.tabrunner.port;

import java.util.Optional;

/** Opaque bytes by key: artifacts, uploaded files, saved browser state. A directory locally, S3 on AWS. */
public interface BlobStore {
    /**
     * @throws StoreUnavailableException when the bytes could not be stored
     */
    void put(String key, byte[] bytes, String contentType);

    Optional<byte[]> get(String key);

    void delete(String key);
}
