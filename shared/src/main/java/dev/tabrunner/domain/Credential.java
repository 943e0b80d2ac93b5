package dev.tabrunner.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A credential registered by an administrator: metadata only. The password (or API key) and TOTP secret live in the
 * {@code CredentialVault} and never in this record, a response, a log line or a task.
 *
 * @param origins  the only origins ({@code scheme://host[:port]}, or {@code https://*.example.com}) it fills on;
 *                 empty for an {@link #KIND_API_KEY} credential, which fills no page
 * @param username the login's username, shown to admins (null for an API key without one, and for credentials
 *                 stored before it was kept here)
 * @param kind     {@link #KIND_LOGIN} (a website login) or {@link #KIND_API_KEY} (a key for a service, such as a
 *                 language model's, read by the deployment and never typed into a page)
 */
public record Credential(String id, String tenantId, String name, List<String> origins, boolean hasTotp,
                         Instant createdAt, Instant updatedAt, long version, String username, String kind) {
    public static final String KIND_LOGIN = "login";
    public static final String KIND_API_KEY = "api_key";

    public Credential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        origins = List.copyOf(origins);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        kind = kind == null ? KIND_LOGIN : kind;
        if (!kind.equals(KIND_LOGIN) && !kind.equals(KIND_API_KEY)) {
            throw new IllegalArgumentException("unknown credential kind " + kind);
        }
    }

    /** A website login whose username is not kept in the metadata. */
    public Credential(String id, String tenantId, String name, List<String> origins, boolean hasTotp,
                      Instant createdAt, Instant updatedAt, long version) {
        this(id, tenantId, name, origins, hasTotp, createdAt, updatedAt, version, null, KIND_LOGIN);
    }
}
