package dev.tabrunner.connect;

import dev.tabrunner.http.ApiDefinition;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code /live/sessions/{id}?token=…}: a person's view of a session's browser that stays the same for the session's
 * whole life (a v2 browser's {@code liveUrl}). It leads to the live view of whatever drives the browser now (a
 * client connected over CDP, a running task) and, while nothing does, shows a page that looks again every few
 * seconds. It opens no view of its own: that would hold the session and keep a client's connection waiting. The
 * token is the authorisation (a {@link ConnectLinks.Purpose#LIVE} link, which opens no CDP); an unknown link or an
 * ended session shows an HTML page that says so.
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/live/sessions/{sessionId}")
final class SessionLiveController {
    private final ConnectService connects;
    private final String idle;
    private final String gone;

    SessionLiveController(ConnectService connects) throws IOException {
        this.connects = connects;
        this.idle = resource("/live-view-idle.html");
        this.gone = resource("/live-view-gone.html");
    }

    static String path(String sessionId, String token) {
        return "/live/sessions/" + sessionId + "?token=" + token;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SessionLiveController.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code embed} and {@code readOnly} are passed on to the view it leads to. */
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> view(String sessionId, @Nullable @QueryValue String token,
                              @Nullable @QueryValue String embed, @Nullable @QueryValue String readOnly) {
        return switch (connects.live(sessionId, token)) {
            case ConnectService.Live.Watching w -> HttpResponse.<String>temporaryRedirect(URI.create(w.url()
                            + (embed != null ? "&embed=" + ("1".equals(embed) ? "1" : "0") : "")
                            + (readOnly != null ? "&readOnly=" + ("1".equals(readOnly) ? "1" : "0") : "")))
                    .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
            case ConnectService.Live.Idle i -> page(HttpStatus.OK, idle);
            case ConnectService.Live.Gone g -> page(HttpStatus.NOT_FOUND, gone);
        };
    }

    private static HttpResponse<String> page(HttpStatus status, String html) {
        return HttpResponse.<String>status(status).body(html).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
    }
}
