package dev.tabrunner.dashboard;

import dev.tabrunner.http.ApiDefinition;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard at {@code /ui}: one static page and its script and style, served without a key. The page asks
 * for an API key and reads everything through the API with it, so it shows exactly what that key may see. Its
 * Content-Security-Policy allows this origin's script and style only (no inline script, no CDN), and images from
 * this origin or the blob URLs the script makes of screenshots fetched with the key.
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/ui")
final class DashboardController {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** The files of the page, by name, and their types: nothing else of the class path is served. */
    private static final Map<String, String> FILES = Map.of(
            "app.js", "text/javascript",
            "app.css", "text/css");

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page() {
        return file("index.html", MediaType.TEXT_HTML);
    }

    @Get("/{name}")
    HttpResponse<?> asset(String name) {
        String type = FILES.get(name);
        return type == null ? HttpResponse.notFound() : file(name, type);
    }

    private static HttpResponse<?> file(String name, String type) {
        try (InputStream in = DashboardController.class.getClassLoader().getResourceAsStream("ui/" + name)) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(in.readAllBytes()).contentType(type)
                    .header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
