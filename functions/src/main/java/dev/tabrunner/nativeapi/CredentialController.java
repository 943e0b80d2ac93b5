package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.Idempotency;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;

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
                () -> HttpResponse.created(CredentialView.of(credentials.create(caller, body))));
    }

    @Get
    CredentialView.Listing list(Caller caller) {
        return new CredentialView.Listing(credentials.list(caller).stream().map(CredentialView::of).toList());
    }

    @Get("/{id}")
    CredentialView get(Caller caller, String id) {
        return CredentialView.of(credentials.get(caller, id));
    }

    /** Replaces the whole credential: see {@link CredentialService} for what a PUT must state. */
    @Put("/{id}")
    CredentialView replace(Caller caller, String id, @Nullable @Body String body) {
        return CredentialView.of(credentials.replace(caller, id, body));
    }

    /** Changes only the fields sent. */
    @Patch("/{id}")
    CredentialView patch(Caller caller, String id, @Nullable @Body String body) {
        return CredentialView.of(credentials.patch(caller, id, body));
    }

    @Delete("/{id}")
    HttpResponse<?> delete(Caller caller, String id) {
        credentials.delete(caller, id);
        return HttpResponse.noContent();
    }
}
