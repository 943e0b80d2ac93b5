package dev.tabrunner.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.http.ApiDefinition;
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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code /admin/api-keys}: admins issue, list and revoke keys. The secret is in the creation response only; the list
 * shows what each key is and when it was last used, never the key.
 */
@Tag(name = ApiDefinition.ADMIN)
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
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/ApiKeyRequest")))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeyView.class)))
    @Post
    HttpResponse<?> create(@Parameter(hidden = true) Caller caller, @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /admin/api-keys", body.getBytes(StandardCharsets.UTF_8),
                () -> HttpResponse.created(issue(caller, body)), kept -> ((KeyView) kept).withoutSecret());
    }

    private KeyView issue(@Parameter(hidden = true) Caller caller, String body) {
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
    KeyListing list(@Parameter(hidden = true) Caller caller) {
        return new KeyListing(keys.list(caller).stream().map(KeyListing.Entry::of).toList());
    }

    @Delete("/{id}")
    HttpResponse<?> revoke(@Parameter(hidden = true) Caller caller, String id) {
        if (!keys.revoke(caller, id)) {
            throw new ApiException(404, "api_key_not_found", "no API key " + id + " in this tenant");
        }
        return HttpResponse.noContent();
    }
}
