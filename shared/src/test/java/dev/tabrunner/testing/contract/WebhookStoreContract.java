package dev.tabrunner.testing.contract;

import dev.tabrunner.domain.Webhook;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.WebhookStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link WebhookStore} promises: endpoints kept per tenant, listed oldest first, never across tenants. */
public abstract class WebhookStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private WebhookStore webhooks;

    protected abstract WebhookStore store();

    @BeforeEach
    void createStore() {
        webhooks = store();
    }

    private Webhook webhook(String tenantId, Instant createdAt) {
        return new Webhook(UUID.randomUUID().toString(), tenantId, "https://hooks.example.com/" + createdAt,
                List.of("completed", "failed"), "ci", createdAt);
    }

    @Test
    void create_list_find_delete_withinTheTenant() {
        Webhook second = webhook(tenant, Instant.parse("2026-01-02T00:00:00Z"));
        Webhook first = webhook(tenant, Instant.parse("2026-01-01T00:00:00Z"));
        webhooks.create(second);
        webhooks.create(first);
        webhooks.create(webhook(otherTenant, Instant.parse("2026-01-03T00:00:00Z")));

        assertThat(webhooks.list(tenant)).containsExactly(first, second);
        assertThat(webhooks.find(tenant, first.id())).contains(first);
        assertThat(webhooks.find(otherTenant, first.id())).isEmpty();
        assertThatThrownBy(() -> webhooks.create(first)).isInstanceOf(ConflictException.class);

        assertThat(webhooks.delete(otherTenant, first.id())).isFalse();
        assertThat(webhooks.delete(tenant, first.id())).isTrue();
        assertThat(webhooks.delete(tenant, first.id())).isFalse();
        assertThat(webhooks.list(tenant)).containsExactly(second);
    }
}
