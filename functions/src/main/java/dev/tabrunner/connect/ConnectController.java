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

/** {@code POST /browser/sessions/{id}/connect}: a link to drive the session's browser over CDP. */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/sessions/{sessionId}/connect")
final class ConnectController {
    private final ConnectService connects;

    ConnectController(ConnectService connects) {
        this.connects = connects;
    }

    @ApiResponse(responseCode = "201", description = "a single-use link for chromium.connectOverCDP or"
            + " puppeteer.connect; 501 not_available_on_this_deployment on AWS",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ConnectView.class)))
    @Post
    HttpResponse<ConnectView> connect(@Parameter(hidden = true) Caller caller, String sessionId,
                                      HttpRequest<?> request) {
        ConnectService.Link link = connects.connect(caller, sessionId);
        String base = PublicBase.of(request).replaceFirst("^http", "ws");
        return HttpResponse.created(new ConnectView(base + link.path(), link.expiresAt().toString(),
                link.connectionId()));
    }
}
