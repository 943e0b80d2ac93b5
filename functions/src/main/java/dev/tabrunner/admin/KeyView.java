package dev.tabrunner.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API key just issued. {@code key}, the secret, is in the creation response only: a replay of the creation
 * ({@code Idempotency-Key}) shows it as null and says so with {@code keyShownOnce}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record KeyView(String id, String key, String tenantId, String role,
               @JsonInclude(JsonInclude.Include.NON_NULL) String name, String createdAt,
               @JsonInclude(JsonInclude.Include.NON_NULL) Boolean keyShownOnce) {

    static KeyView of(ApiKeyService.IssuedKey issued) {
        return new KeyView(issued.key().id(), issued.secret(), issued.key().tenantId(),
                issued.key().role().wireName(), issued.key().name(), issued.key().createdAt().toString(), null);
    }

    /** What is kept for a replay: everything but the secret, which is never stored. */
    KeyView withoutSecret() {
        return new KeyView(id, null, tenantId, role, name, createdAt, true);
    }
}
