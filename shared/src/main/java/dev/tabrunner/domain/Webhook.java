package dev.tabrunner.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An endpoint a tenant's admin registered to receive {@code task.updated} events. Its signing secret is in the
 * credential vault, never here.
 *
 * @param events the event names it receives ({@code started}, {@code completed}, ...); every one when empty
 */
public record Webhook(String id, String tenantId, String url, List<String> events, String description,
                      Instant createdAt) {
    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(url, "url");
        events = events == null ? List.of() : List.copyOf(events);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the endpoint receives events of this name. */
    public boolean receives(String event) {
        return events.isEmpty() || events.contains(event);
    }

    /** The id of its signing secret in the credential vault. */
    public String secretId() {
        return "webhook-" + id;
    }
}
