package dev.tabrunner.port;

import dev.tabrunner.domain.ApiKey;

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
     * Deletes the key if it belongs to the tenant.
     *
     * @return false when there was no such key in that tenant
     */
    boolean delete(String tenantId, String keyId);
}
