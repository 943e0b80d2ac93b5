package dev.tabrunner.webhook;

import dev.tabrunner.domain.Webhook;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.events.TaskEvent;
import dev.tabrunner.events.TaskEventListener;
import dev.tabrunner.port.WebhookOutbox;
import dev.tabrunner.port.WebhookStore;

import java.util.List;
import java.util.UUID;

/**
 * Turns each announced task event into one delivery per endpoint of the task's tenant that receives it, put in the
 * outbox due at once. Sending is someone else's (the delivery thread, the queue's function), so the write that
 * caused the event never waits on a receiver.
 */
public final class WebhookPublisher implements TaskEventListener {
    private final WebhookStore webhooks;
    private final WebhookOutbox outbox;

    public WebhookPublisher(WebhookStore webhooks, WebhookOutbox outbox) {
        this.webhooks = webhooks;
        this.outbox = outbox;
    }

    @Override
    public void onEvent(TaskEvent event) {
        if (!event.kind().announced()) {
            return;
        }
        List<Webhook> endpoints = webhooks.list(event.task().tenantId()).stream()
                .filter(w -> w.receives(event.kind().wireName())).toList();
        if (endpoints.isEmpty()) {
            return;
        }
        String body = WebhookPayload.of(event);
        for (Webhook w : endpoints) {
            outbox.enqueue(new WebhookDelivery(UUID.randomUUID().toString(), w.tenantId(), w.id(), event.id(), body,
                    event.at(), 0, event.at()));
        }
    }
}
