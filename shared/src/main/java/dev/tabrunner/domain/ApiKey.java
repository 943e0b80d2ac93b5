package dev.tabrunner.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored API key. Only the SHA-256 of the secret is kept; the secret itself is shown once at creation.
 *
 * @param lastUsedAt when the key last authenticated a request, to the minute (null: never, or not recorded yet)
 */
public record ApiKey(String id, String tenantId, Role role, String name, String secretHash, Instant createdAt,
                     Instant lastUsedAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A key never used yet. */
    public ApiKey(String id, String tenantId, Role role, String name, String secretHash, Instant createdAt) {
        this(id, tenantId, role, name, secretHash, createdAt, null);
    }

    public ApiKey withLastUsedAt(Instant at) {
        return new ApiKey(id, tenantId, role, name, secretHash, createdAt, at);
    }
}
