package dev.tabrunner.domain;

import java.time.Instant;
import java.util.Objects;

/** A stored API key. Only the SHA-256 of the secret is kept; the secret itself is shown once at creation. */
public record ApiKey(String id, String tenantId, Role role, String name, String secretHash, Instant createdAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
