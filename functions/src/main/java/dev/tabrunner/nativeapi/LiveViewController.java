package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.NotFoundException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;

/**
 * The live view a person uses to act in a task's browser. No API key: the unguessable, expiring token in the
 * URL is the authorisation, and a wrong or expired token answers 404 like an unknown task.
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/live/{taskId}")
final class LiveViewController {
    private static final Set<String> EVENT_TYPES = Set.of("click", "key", "text");

    private final LiveView liveView;
    private final Clock clock;
    private final String page;

    LiveViewController(LiveView liveView, Clock clock) throws IOException {
        this.liveView = liveView;
        this.clock = clock;
        try (InputStream in = LiveViewController.class.getResourceAsStream("/live-view.html")) {
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void authorize(String taskId, String token) {
        if (!liveView.authorize(taskId, token, clock.instant())) {
            throw new NotFoundException("live_view_not_found", "no open live view for this link");
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> viewer(String taskId, @Nullable @QueryValue String token) {
        authorize(taskId, token);
        return HttpResponse.ok(page).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
    }

    @Get(value = "/frame", produces = MediaType.IMAGE_JPEG)
    HttpResponse<byte[]> frame(String taskId, @Nullable @QueryValue String token) {
        authorize(taskId, token);
        return liveView.latestFrame(taskId).map(f -> HttpResponse.ok(f).header("Cache-Control", "no-store"))
                .orElseGet(HttpResponse::noContent);
    }

    @Post("/input")
    HttpResponse<?> input(String taskId, @Nullable @QueryValue String token, @Nullable @Body String body) {
        authorize(taskId, token);
        JsonNode event = RequestBodies.object(body, Set.of("type", "x", "y", "key", "text"));
        if (!EVENT_TYPES.contains(event.path("type").asText())) {
            throw ApiException.badRequest("type", "must be click, key or text");
        }
        liveView.sendInput(taskId, event);
        return HttpResponse.accepted();
    }
}
