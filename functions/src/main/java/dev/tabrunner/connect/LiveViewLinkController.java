package dev.tabrunner.connect;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.PublicBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code POST /browser/sessions/{id}/live-view}: a person's live view of an idle session. */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/sessions/{sessionId}/live-view")
final class LiveViewLinkController {
    private final ConnectService connects;

    LiveViewLinkController(ConnectService connects) {
        this.connects = connects;
    }

    /**
     * @param liveViewUrl the view's link, absolute; null while the session is busy with another task (the task at
     *                    {@code pollUrl} shows it when the view opens)
     * @param pollUrl     the view's task: it runs while the view is open
     */
    record LiveViewLink(String liveViewUrl, String taskId, String pollUrl) {
    }

    @ApiResponse(responseCode = "201", description = "the session's live view, open for 10 minutes or until Done",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = LiveViewLink.class)))
    @Post
    HttpResponse<LiveViewLink> open(@Parameter(hidden = true) Caller caller, String sessionId,
                                    HttpRequest<?> request) {
        ConnectService.View view = connects.watch(caller, sessionId);
        String base = PublicBase.of(request);
        return HttpResponse.created(new LiveViewLink(view.liveViewUrl() == null ? null : base + view.liveViewUrl(),
                view.taskId(), base + "/browser/sessions/" + sessionId + "/tasks/" + view.taskId()));
    }
}
