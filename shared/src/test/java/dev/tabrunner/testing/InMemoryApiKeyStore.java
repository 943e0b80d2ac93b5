package dev.tabrunner.testing;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API keys in memory, for unit tests of authentication and key management. Thread-safe. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final ConcurrentHashMap<String, ApiKey> byId = new ConcurrentHashMap<>();

    @Override
    public void put(ApiKey key, boolean replace) {
        if (replace) {
            byId.put(key.id(), key);
        } else if (byId.putIfAbsent(key.id(), key) != null) {
            throw new ConflictException("key_exists", "api key " + key.id() + " exists");
        }
    }

    @Override
    public Optional<ApiKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    @Override
    public List<ApiKey> list(String tenantId) {
        return byId.values().stream().filter(k -> tenantId == null || k.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }

    @Override
    public void touch(String keyId, Instant at) {
        byId.computeIfPresent(keyId, (id, k) -> k.withLastUsedAt(at));
    }

    @Override
    public boolean delete(String tenantId, String keyId) {
        ApiKey current = byId.get(keyId);
        return current != null && current.tenantId().equals(tenantId) && byId.remove(keyId, current);
    }
}
