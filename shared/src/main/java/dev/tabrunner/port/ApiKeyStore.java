package dev.tabrunner.port;

import dev.tabrunner.domain.ApiKey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys, stored by id with only a hash of the secret. */
public interface ApiKeyStore {
    /**
     * Stores the key, replacing one with the same id only when {@code replace} is set.
     *
     * @throws ConflictException when the id exists and {@code replace} is false
     */
    void put(ApiKey key, boolean replace);

    Optional<ApiKey> find(String keyId);

    /**
     * The keys of one tenant, or of every tenant when {@code tenantId} is null, oldest first.
     *
     * @throws StoreUnavailableException when the store cannot be read
     */
    List<ApiKey> list(String tenantId);

    /**
     * Records that the key authenticated a request at {@code at}; nothing happens when the key is gone.
     *
     * @throws StoreUnavailableException when the store cannot be written
     */
    void touch(String keyId, Instant at);

    /**
     * Deletes the key if it belongs to the tenant.
     *
     * @return false when there was no such key in that tenant
     */
    boolean delete(String tenantId, String keyId);
}
