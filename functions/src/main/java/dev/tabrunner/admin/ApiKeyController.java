package dev.tabrunner.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.RequestBodies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code /admin/api-keys}: admins issue, list and revoke keys. The secret is in the creation response only; the list
 * shows what each key is and when it was last used, never the key.
 */
@Controller("/admin/api-keys")
final class ApiKeyController {
    private final ApiKeyService keys;
    private final Idempotency idempotency;

    ApiKeyController(ApiKeyService keys, Idempotency idempotency) {
        this.keys = keys;
        this.idempotency = idempotency;
    }

    /**
     * With an {@code Idempotency-Key}, a retry gets the same key id and details but not the secret again: the
     * secret is shown once and never stored.
     */
    @Post
    HttpResponse<?> create(Caller caller, @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /admin/api-keys", body.getBytes(StandardCharsets.UTF_8),
                () -> HttpResponse.created(issue(caller, body)), kept -> ((KeyView) kept).withoutSecret());
    }

    private KeyView issue(Caller caller, String body) {
        JsonNode json = RequestBodies.object(body, Set.of("role", "tenantId", "name"));
        Role role = RequestBodies.optionalString(json, "role", 16) == null ? Role.USER
                : roleOf(RequestBodies.optionalString(json, "role", 16));
        return KeyView.of(keys.create(caller, role, RequestBodies.optionalString(json, "tenantId", 63),
                RequestBodies.optionalString(json, "name", 200)));
    }

    private static Role roleOf(String name) {
        try {
            return Role.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("role", e.getMessage());
        }
    }

    @Get
    KeyListing list(Caller caller) {
        return new KeyListing(keys.list(caller).stream().map(KeyListing.Entry::of).toList());
    }

    @Delete("/{id}")
    HttpResponse<?> revoke(Caller caller, String id) {
        if (!keys.revoke(caller, id)) {
            throw new ApiException(404, "api_key_not_found", "no API key " + id + " in this tenant");
        }
        return HttpResponse.noContent();
    }
}
