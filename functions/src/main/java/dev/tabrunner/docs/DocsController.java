package dev.tabrunner.docs;

import dev.tabrunner.http.ApiDefinition;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The API reference: the OpenAPI document, and at {@code /docs} Swagger UI rendering it. Swagger UI comes from its
 * webjar in this jar (no CDN); the page runs no inline script, and its Content-Security-Policy lets it load scripts
 * from this origin only.
 */
@Tag(name = ApiDefinition.PAGES)
@Controller
final class DocsController {
    /** Scripts from this origin only; Swagger UI sets style attributes, hence inline styles. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The assets the page uses, by name, and their types: nothing else of the class path is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "favicon-32x32.png", "image/png");
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Tabrunner API reference</title>
              <link rel="icon" href="docs/assets/favicon-32x32.png">
              <link rel="stylesheet" href="docs/assets/swagger-ui.css">
            </head>
            <body>
              <div id="reference"></div>
              <script src="docs/assets/swagger-ui-bundle.js"></script>
              <script src="docs/assets/docs.js"></script>
            </body>
            </html>
            """;

    private final OpenApiDocument document;
    private final String webjarVersion;

    DocsController(OpenApiDocument document) {
        this.document = document;
        this.webjarVersion = webjarVersion();
    }

    private static String webjarVersion() {
        try (InputStream in = DocsController.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = "/openapi.json", produces = MediaType.APPLICATION_JSON)
    String json() {
        return document.json();
    }

    @Get(value = "/openapi.yaml", produces = "application/yaml")
    String yaml() {
        return document.yaml();
    }

    @Get(value = "/docs", produces = MediaType.TEXT_HTML)
    HttpResponse<String> page() {
        return strict(HttpResponse.ok(PAGE));
    }

    @Get("/docs/assets/{name}")
    HttpResponse<?> asset(String name) {
        String resource = name.equals("docs.js") ? "docs/docs.js"
                : ASSETS.containsKey(name) ? WEBJAR + webjarVersion + "/" + name : null;
        if (resource == null) {
            return HttpResponse.notFound();
        }
        try (InputStream in = DocsController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            String type = name.equals("docs.js") ? "text/javascript" : ASSETS.get(name);
            return strict(HttpResponse.ok(in.readAllBytes()).contentType(type)
                    .header("Cache-Control", "public, max-age=3600"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> MutableHttpResponse<T> strict(MutableHttpResponse<T> response) {
        return response.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }
}
