package dev.tabrunner.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A website login registered by an administrator: metadata only. The username, password and TOTP secret live in
 * the {@code CredentialVault} and never in this record, a response, a log line or a task.
 *
 * @param origins the only origins ({@code scheme://host[:port]}, or {@code https://*.example.com}) it fills on
 */
public record Credential(String id, String tenantId, String name, List<String> origins, boolean hasTotp,
                         Instant createdAt, Instant updatedAt, long version) {
    public Credential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        origins = List.copyOf(origins);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
