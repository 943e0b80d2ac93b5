package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /admin/api-keys}: admins issue and revoke keys. The secret is in the creation response only. */
@Controller("/admin/api-keys")
final class ApiKeyController {
    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    @Post
    HttpResponse<Map<String, Object>> create(Caller caller, @Body String body) {
        JsonNode json = RequestBodies.object(body, Set.of("role", "tenantId", "name"));
        Role role = RequestBodies.optionalString(json, "role", 16) == null ? Role.USER
                : roleOf(RequestBodies.optionalString(json, "role", 16));
        ApiKeyService.IssuedKey issued = keys.create(caller, role, RequestBodies.optionalString(json, "tenantId", 63),
                RequestBodies.optionalString(json, "name", 200));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.key().id());
        out.put("key", issued.secret());
        out.put("tenantId", issued.key().tenantId());
        out.put("role", issued.key().role().wireName());
        if (issued.key().name() != null) {
            out.put("name", issued.key().name());
        }
        out.put("createdAt", issued.key().createdAt().toString());
        return HttpResponse.created(out);
    }

    private static Role roleOf(String name) {
        try {
            return Role.fromWire(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("role", e.getMessage());
        }
    }

    @Delete("/{id}")
    HttpResponse<?> revoke(Caller caller, String id) {
        if (!keys.revoke(caller, id)) {
            throw new ApiException(404, "api_key_not_found", "no API key " + id + " in this tenant");
        }
        return HttpResponse.noContent();
    }
}
