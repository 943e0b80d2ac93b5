package dev.tabrunner.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on its way to one endpoint: what is waiting in the outbox.
 *
 * @param id        the delivery's own id (one event sent to two endpoints is two deliveries)
 * @param eventId   the event's id, sent as {@code Tabrunner-Event-Id}, the same on every attempt
 * @param body      the JSON sent, the same on every attempt (the signature covers it)
 * @param createdAt when the event happened: attempts stop 24 hours after it
 * @param attempt   how many attempts were made before this one
 * @param notBefore when the next attempt is due
 */
public record WebhookDelivery(String id, String tenantId, String webhookId, String eventId, String body,
                              Instant createdAt, int attempt, Instant notBefore) {
    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(notBefore, "notBefore");
    }

    /** The next attempt, due at {@code at}. */
    public WebhookDelivery retryAt(Instant at) {
        return new WebhookDelivery(id, tenantId, webhookId, eventId, body, createdAt, attempt + 1, at);
    }
}
