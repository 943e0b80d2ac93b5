package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.tasks.EnvironmentService;
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

import java.util.Set;

/**
 * {@code /browser/environments} (seed 001: "persist browser data and files across sessions"): a session created
 * with {@code environmentId} starts from one and writes its state back into it. Browser-use v1's profiles are
 * listed here too: they are the same store.
 */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/environments")
final class EnvironmentController {
    private final EnvironmentService environments;
    private final Idempotency idempotency;

    EnvironmentController(EnvironmentService environments, Idempotency idempotency) {
        this.environments = environments;
        this.idempotency = idempotency;
    }

    /** Creates an empty environment; its body, {@code {"name": "..."}}, may name it. */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/EnvironmentRequest")))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = EnvironmentView.class)))
    @Post
    HttpResponse<?> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/environments", body, () -> {
            JsonNode json = RequestBodies.object(body, Set.of("name"));
            String name = RequestBodies.optionalString(json, "name", EnvironmentService.MAX_NAME);
            if (name != null && name.isBlank()) {
                throw ApiException.badRequest("name", "must not be blank");
            }
            return HttpResponse.created(EnvironmentView.of(environments.create(caller, name)));
        });
    }

    @Get
    EnvironmentView.Listing list(@Parameter(hidden = true) Caller caller) {
        return new EnvironmentView.Listing(environments.list(caller).stream().map(EnvironmentView::of).toList());
    }

    @Get("/{environmentId}")
    EnvironmentView get(@Parameter(hidden = true) Caller caller, String environmentId) {
        return EnvironmentView.of(environments.get(caller, environmentId));
    }

    @Delete("/{environmentId}")
    HttpResponse<?> delete(@Parameter(hidden = true) Caller caller, String environmentId) {
        environments.delete(caller, environmentId);
        return HttpResponse.noContent();
    }
}
