package dev.tabrunner.port;

import dev.tabrunner.domain.Webhook;

import java.util.List;
import java.util.Optional;

/** The webhook endpoints of each tenant. */
public interface WebhookStore {
    /**
     * @throws ConflictException         when the id exists
     * @throws StoreUnavailableException when the store cannot be written
     */
    void create(Webhook webhook);

    /** The tenant's endpoints, oldest first. */
    List<Webhook> list(String tenantId);

    Optional<Webhook> find(String tenantId, String webhookId);

    /** @return false when the tenant has no such endpoint */
    boolean delete(String tenantId, String webhookId);
}
