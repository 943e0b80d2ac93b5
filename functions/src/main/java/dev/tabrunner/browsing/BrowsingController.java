package dev.tabrunner.browsing;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.http.RequestDeadline;
import dev.tabrunner.port.NotFoundException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The browsing API (seed 003) under {@code /api/v1/browsing}: a client of that service works here after changing
 * its base URL and key. Errors are in the dialect's one format ({@link BrowsingErrorFormat}).
 */
@Tag(name = ApiDefinition.BROWSING)
@Controller("/api/v1/browsing")
final class BrowsingController {
    /**
     * Larger screenshots are handed out as a link to the blob store where it gives one (S3): a Lambda response
     * holds about 6 MB of base64 at most.
     */
    private static final long INLINE_LIMIT = 4L * 1024 * 1024;

    private final BrowsingService service;
    private final Idempotency idempotency;
    private final Clock clock;

    BrowsingController(BrowsingService service, Idempotency idempotency, Clock clock) {
        this.service = service;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** Creates the task and answers its id at once. */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/BrowsingTaskRequest"),
            examples = {@ExampleObject(name = "BrowsingTask", ref = "#/components/examples/BrowsingTask")}))
    @Post("/async")
    HttpResponse<?> async(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                          @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /api/v1/browsing/async", body,
                () -> HttpResponse.ok(new BrowsingViews.Created(service.submit(caller, BrowsingRequest.parse(body))
                        .primary().id())));
    }

    /**
     * Creates the task and waits for its end (10 minutes at most; on Lambda, never past the function's own time
     * limit), answering its status document; past that, 504 with the {@code task_id}, and the task goes on.
     */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/BrowsingTaskRequest"),
            examples = {@ExampleObject(name = "BrowsingTask", ref = "#/components/examples/BrowsingTask")}))
    @Post("/sync")
    HttpResponse<?> sync(@Parameter(hidden = true) Caller caller, @Nullable @Body String body, HttpRequest<?> request) {
        Duration bound = RequestDeadline.bound(request, service.syncWait(), clock);
        BrowsingTask task = service.submit(caller, BrowsingRequest.parse(body));
        BrowsingTask done = service.await(task, bound);
        if (!done.ended()) {
            throw BrowsingService.stillRunning(done, bound);
        }
        return HttpResponse.ok(BrowsingViews.status(done, PublicBase.of(request)));
    }

    @Get("/status")
    HttpResponse<?> status(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue("task_id") String taskId,
                           HttpRequest<?> request) {
        if (taskId == null || taskId.isBlank()) {
            throw ApiException.badRequest("task_id", "is required: GET /api/v1/browsing/status?task_id=...");
        }
        return HttpResponse.ok(BrowsingViews.status(service.get(caller, taskId), PublicBase.of(request)));
    }

    /** A screenshot the status document lists, by its name there and nothing else. */
    @Get("/screenshots/{task_id}/{file}")
    HttpResponse<?> screenshot(@Parameter(hidden = true) Caller caller, @PathVariable("task_id") String taskId,
                               @PathVariable String file) {
        BrowsingService.ScreenshotFile shot = service.screenshot(service.get(caller, taskId), file);
        if (shot.size() > INLINE_LIMIT) {
            Optional<URI> link = service.link(shot, file);
            if (link.isPresent()) {
                return HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, link.get().toString())
                        .header(HttpHeaders.CACHE_CONTROL, "no-store");
            }
        }
        byte[] bytes = service.bytes(shot).orElseThrow(() -> new NotFoundException("screenshot_not_found",
                "screenshot '" + file + "' of task " + taskId + " is no longer stored"));
        return HttpResponse.ok(bytes).contentType(MediaType.of(shot.contentType()))
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=300")
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + file + "\"");
    }

    /** The nodes tasks may be sent to ({@code filter}), and whether each runs a task now. */
    @Get("/nodes")
    BrowsingViews.Nodes nodes() {
        return service.nodes();
    }
}
