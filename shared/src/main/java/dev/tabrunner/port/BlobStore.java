package dev.tabrunner.port;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Opaque bytes by key: artifacts, uploaded files, saved browser state. A directory locally, S3 on AWS. */
public interface BlobStore {
    /**
     * @throws StoreUnavailableException when the bytes could not be stored
     */
    void put(String key, byte[] bytes, String contentType);

    /**
     * @throws StoreUnavailableException when the store could not be read
     */
    Optional<byte[]> get(String key);

    void delete(String key);

    /**
     * The keys that start with {@code prefix}, sorted; none when nothing is stored under it.
     *
     * @throws StoreUnavailableException when the store could not be read
     */
    List<String> list(String prefix);

    /**
     * A link from which a browser can download the blob itself for {@code ttl}, saved as {@code filename}; empty
     * when this store cannot hand out links (then the API serves the bytes).
     */
    Optional<URI> downloadUrl(String key, String filename, String contentType, Duration ttl);
}
