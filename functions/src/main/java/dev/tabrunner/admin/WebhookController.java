package dev.tabrunner.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Webhook;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Idempotency;
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
import java.util.List;

/**
 * {@code /admin/webhooks}: a tenant's admins register, list and delete the endpoints that receive its
 * {@code task.updated} events. The signing secret is in the creation answer only.
 */
@Tag(name = ApiDefinition.ADMIN)
@Controller("/admin/webhooks")
final class WebhookController {
    private final WebhookService webhooks;
    private final Idempotency idempotency;

    WebhookController(WebhookService webhooks, Idempotency idempotency) {
        this.webhooks = webhooks;
        this.idempotency = idempotency;
    }

    /**
     * An endpoint as shown to admins.
     *
     * @param secret the signing secret: in the creation answer only (null in lists and in a replay)
     * @param events the events it receives; empty means every one
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record WebhookView(String id, String url, List<String> events, String description, String createdAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
        static WebhookView of(Webhook w, String secret) {
            return new WebhookView(w.id(), w.url(), w.events(), w.description(), w.createdAt().toString(), secret);
        }

        WebhookView withoutSecret() {
            return new WebhookView(id, url, events, description, createdAt, null);
        }
    }

    /** The tenant's endpoints, oldest first. */
    record Listing(List<WebhookView> webhooks) {
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/WebhookRequest")))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookView.class)))
    @Post
    HttpResponse<?> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        String given = body == null ? "" : body;
        return idempotency.once(caller, idempotencyKey, "POST /admin/webhooks",
                given.getBytes(StandardCharsets.UTF_8), () -> {
                    WebhookService.Registered r = webhooks.create(caller, given);
                    return HttpResponse.created(WebhookView.of(r.webhook(), r.secret()));
                }, kept -> ((WebhookView) kept).withoutSecret());
    }

    @Get
    Listing list(@Parameter(hidden = true) Caller caller) {
        return new Listing(webhooks.list(caller).stream().map(w -> WebhookView.of(w, null)).toList());
    }

    @Delete("/{id}")
    HttpResponse<?> delete(@Parameter(hidden = true) Caller caller, String id) {
        webhooks.delete(caller, id);
        return HttpResponse.noContent();
    }
}
