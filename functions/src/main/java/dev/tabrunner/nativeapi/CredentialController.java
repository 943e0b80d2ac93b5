package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Idempotency;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code /browser/credentials}: admin keys only; responses carry metadata, never secret values. */
@Tag(name = ApiDefinition.CREDENTIALS)
@Controller("/browser/credentials")
final class CredentialController {
    private final CredentialService credentials;
    private final Idempotency idempotency;

    CredentialController(CredentialService credentials, Idempotency idempotency) {
        this.credentials = credentials;
        this.idempotency = idempotency;
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/CredentialRequest"),
            examples = {@ExampleObject(name = "Credential", ref = "#/components/examples/Credential"),
                    @ExampleObject(name = "ModelKey", ref = "#/components/examples/ModelKey")}))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CredentialView.class)))
    @Post
    HttpResponse<?> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        // only a hash of the body (which holds the secret) is kept to recognise a retry
        return idempotency.once(caller, idempotencyKey, "POST /browser/credentials", body,
                () -> HttpResponse.created(CredentialView.of(credentials.create(caller, body))));
    }

    @Get
    CredentialView.Listing list(@Parameter(hidden = true) Caller caller) {
        return new CredentialView.Listing(credentials.list(caller).stream().map(CredentialView::of).toList());
    }

    @Get("/{id}")
    CredentialView get(@Parameter(hidden = true) Caller caller, String id) {
        return CredentialView.of(credentials.get(caller, id));
    }

    /** Replaces the whole credential: see {@link CredentialService} for what a PUT must state. */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/CredentialRequest")))
    @Put("/{id}")
    CredentialView replace(@Parameter(hidden = true) Caller caller, String id, @Nullable @Body String body) {
        return CredentialView.of(credentials.replace(caller, id, body));
    }

    /** Changes only the fields sent. */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/CredentialRequest")))
    @Patch("/{id}")
    CredentialView patch(@Parameter(hidden = true) Caller caller, String id, @Nullable @Body String body) {
        return CredentialView.of(credentials.patch(caller, id, body));
    }

    @Delete("/{id}")
    HttpResponse<?> delete(@Parameter(hidden = true) Caller caller, String id) {
        credentials.delete(caller, id);
        return HttpResponse.noContent();
    }
}
