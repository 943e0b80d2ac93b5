package dev.tabrunner.nativeapi;

import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.recording.RrwebBundle;
import dev.tabrunner.replay.Replays;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The replay page of a recorded task (ADR 0042), opened with the link {@code POST .../tasks/{taskId}/replay}
 * returns. No API key: the link's token opens that task's replay only, until it expires; a wrong, expired or
 * another task's token answers 404 alike, as an HTML page a person can read.
 *
 * <p>The page is static: its script fetches the recording with the same token and plays it with rrweb's replayer,
 * which rebuilds the recorded pages in a sandboxed frame without running their scripts. Its Content-Security-Policy
 * allows this origin's scripts only (no inline script); the recorded pages' own styles are inline and their images
 * and fonts come from where the pages had them, so those are allowed.
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/replay/{taskId}")
final class ReplayController {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob: https: http:; font-src 'self' data: https: http:; media-src 'none';"
            + " connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
    private static final String TASK = "{{taskId}}";

    private final Replays replays;
    private final String page;
    private final String gone;
    private final byte[] script;
    private final byte[] styles;
    private final byte[] rrweb;

    ReplayController(Replays replays) {
        this.replays = replays;
        this.page = resource("replay/index.html");
        this.gone = resource("replay/gone.html");
        this.script = resource("replay/replay.js").getBytes(StandardCharsets.UTF_8);
        this.rrweb = RrwebBundle.script().getBytes(StandardCharsets.UTF_8);
        this.styles = (RrwebBundle.styles() + "\n" + resource("replay/replay.css")).getBytes(StandardCharsets.UTF_8);
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(String taskId, @Nullable @QueryValue String token) {
        try {
            replays.open(taskId, token);
        } catch (NotFoundException e) {
            return secured(HttpResponse.<String>notFound().body(gone), MediaType.TEXT_HTML);
        }
        // the id is the one the token opened, of the characters task ids have: nothing to escape
        return secured(HttpResponse.ok(page.replace(TASK, taskId)), MediaType.TEXT_HTML);
    }

    /** The recording ({@code recording}), or one of the page's files: the player's script and styles, rrweb. */
    @Get("/{name}")
    HttpResponse<?> file(String taskId, String name, @Nullable @QueryValue String token) {
        return switch (name) {
            case "recording" -> secured(HttpResponse.ok(replays.recording(replays.open(taskId, token))),
                    MediaType.APPLICATION_JSON);
            case "rrweb.js" -> secured(HttpResponse.ok(rrweb), "text/javascript");
            case "replay.js" -> secured(HttpResponse.ok(script), "text/javascript");
            case "replay.css" -> secured(HttpResponse.ok(styles), "text/css");
            default -> HttpResponse.notFound();
        };
    }

    private static <T> HttpResponse<T> secured(io.micronaut.http.MutableHttpResponse<T> response, String type) {
        return response.contentType(type).header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .header("X-Robots-Tag", "noindex").header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static String resource(String name) {
        try (InputStream in = ReplayController.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
