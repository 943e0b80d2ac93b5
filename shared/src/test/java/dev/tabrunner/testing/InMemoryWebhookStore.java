package dev.tabrunner.testing;

import dev.tabrunner.domain.Webhook;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.WebhookStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Webhook endpoints in memory, as {@code WebhookStoreContract} pins the DynamoDB adapter down. Thread-safe. */
public final class InMemoryWebhookStore implements WebhookStore {
    private final ConcurrentHashMap<String, Webhook> byKey = new ConcurrentHashMap<>();

    private static String key(String tenantId, String id) {
        return tenantId + "#" + id;
    }

    @Override
    public void create(Webhook webhook) {
        if (byKey.putIfAbsent(key(webhook.tenantId(), webhook.id()), webhook) != null) {
            throw new ConflictException("webhook_exists", "webhook " + webhook.id() + " exists");
        }
    }

    @Override
    public List<Webhook> list(String tenantId) {
        return byKey.values().stream().filter(w -> w.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id)).toList();
    }

    @Override
    public Optional<Webhook> find(String tenantId, String webhookId) {
        return Optional.ofNullable(byKey.get(key(tenantId, webhookId)));
    }

    @Override
    public boolean delete(String tenantId, String webhookId) {
        return byKey.remove(key(tenantId, webhookId)) != null;
    }
}
