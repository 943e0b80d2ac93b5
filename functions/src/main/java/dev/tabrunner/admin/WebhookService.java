package dev.tabrunner.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.Webhook;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.events.TaskEvent;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.WebhookStore;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's admins register the endpoints its task events go to. The signing secret is generated here, kept in
 * the credential vault and shown once, in the creation answer. An endpoint the egress guard refuses (an internal
 * address, unless {@code TABRUNNER_EGRESS_ALLOW} allows it) is refused at registration, and again at each delivery.
 */
@Singleton
public final class WebhookService {
    /** Endpoints per tenant: each task event is one delivery per endpoint. */
    static final int MAX_PER_TENANT = 10;
    private static final Set<String> FIELDS = Set.of("url", "events", "description");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore webhooks;
    private final CredentialVault vault;
    private final EgressPolicy egress;
    private final Clock clock;

    public WebhookService(WebhookStore webhooks, CredentialVault vault, EgressPolicy egress, Clock clock) {
        this.webhooks = webhooks;
        this.vault = vault;
        this.egress = egress;
        this.clock = clock;
    }

    /** An endpoint just registered and its signing secret, shown this once. */
    public record Registered(Webhook webhook, String secret) {
    }

    public Registered create(Caller caller, String body) {
        requireAdmin(caller);
        JsonNode json = RequestBodies.object(body, FIELDS);
        String url = url(RequestBodies.optionalString(json, "url", 2048));
        List<String> events = events(json.get("events"));
        String description = RequestBodies.optionalString(json, "description", 200);
        if (webhooks.list(caller.tenantId()).size() >= MAX_PER_TENANT) {
            throw new ApiException(409, "too_many_webhooks", "this tenant has " + MAX_PER_TENANT
                    + " webhooks, its limit; delete one first");
        }
        Webhook webhook = new Webhook(UUID.randomUUID().toString(), caller.tenantId(), url, events, description,
                clock.instant());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // the secret first: a webhook without one is never delivered to, a secret without a webhook is unused
        vault.put(caller.tenantId(), webhook.secretId(), new CredentialSecret("webhook", secret, null),
                webhook.secretId());
        webhooks.create(webhook);
        return new Registered(webhook, secret);
    }

    public List<Webhook> list(Caller caller) {
        requireAdmin(caller);
        return webhooks.list(caller.tenantId());
    }

    public void delete(Caller caller, String id) {
        requireAdmin(caller);
        if (!webhooks.delete(caller.tenantId(), id)) {
            throw new NotFoundException("webhook_not_found", "webhook " + id + " not found");
        }
        vault.delete(caller.tenantId(), "webhook-" + id);
    }

    private String url(String url) {
        if (url == null || url.isEmpty()) {
            throw ApiException.badRequest("url", "is required");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url", "is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!EgressPolicy.NAVIGABLE_SCHEMES.contains(scheme) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw ApiException.badRequest("url", "must be an http or https URL with a host and no user info");
        }
        EgressPolicy.Verdict verdict = egress.checkUrl(url);
        if (!verdict.allowed() && !verdict.unresolved()) {
            throw new ApiException(403, "destination_blocked", "url: " + verdict.reason(),
                    java.util.Map.of("field", "url"));
        }
        return url;
    }

    private static List<String> events(JsonNode given) {
        List<String> known = Arrays.stream(TaskEvent.Kind.values()).filter(TaskEvent.Kind::announced)
                .map(TaskEvent.Kind::wireName).toList();
        if (given == null || given.isNull()) {
            return List.of();
        }
        if (!given.isArray() || given.size() > known.size()) {
            throw ApiException.badRequest("events", "must be a list of events among " + known);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String e = given.get(i).asText("");
            if (!known.contains(e)) {
                throw ApiException.badRequest("events[" + i + "]", "must be one of " + known);
            }
            if (!out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("webhooks are managed with an admin key");
        }
    }
}
