package dev.tabrunner.api;

import dev.tabrunner.domain.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;

import java.util.Map;

/** {@code /browser/credentials}: admin keys only; responses carry metadata, never secret values. */
@Controller("/browser/credentials")
final class CredentialController {
    private final CredentialService credentials;
    private final Idempotency idempotency;

    CredentialController(CredentialService credentials, Idempotency idempotency) {
        this.credentials = credentials;
        this.idempotency = idempotency;
    }

    @Post
    HttpResponse<?> create(Caller caller, @Nullable @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        // only a hash of the body (which holds the secret) is kept to recognise a retry
        return idempotency.once(caller, idempotencyKey, "POST /browser/credentials", body,
                () -> HttpResponse.created(CredentialService.view(credentials.create(caller, body))));
    }

    @Get
    Map<String, Object> list(Caller caller) {
        return Map.of("credentials", credentials.list(caller).stream().map(CredentialService::view).toList());
    }

    @Get("/{id}")
    Map<String, Object> get(Caller caller, String id) {
        return CredentialService.view(credentials.get(caller, id));
    }

    @Put("/{id}")
    Map<String, Object> replace(Caller caller, String id, @Nullable @Body String body) {
        return CredentialService.view(credentials.replace(caller, id, body));
    }

    @Delete("/{id}")
    HttpResponse<?> delete(Caller caller, String id) {
        credentials.delete(caller, id);
        return HttpResponse.noContent();
    }
}
