package dev.tabrunner.browseruse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.tasks.TaskService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A task shared with {@code enable_public_share} (browser-use v1): a page with its steps and their screenshots,
 * readable without an API key. The token in the link is the authorisation and opens that task only; any other link
 * answers 404 alike. Nothing but the task's text, steps, screenshots and output is shown (no secrets: those are
 * concealed in everything the task stores).
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/share/{taskId}")
final class PublicShareController {
    private final BrowserUseV1Service service;
    private final TaskService tasks;

    PublicShareController(BrowserUseV1Service service, TaskService tasks) {
        this.service = service;
        this.tasks = tasks;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(String taskId, @Nullable @QueryValue String token) {
        TaskRecord t = service.shared(taskId, token);
        return HttpResponse.ok(render(t, token)).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy",
                        "default-src 'none'; img-src 'self' https:; style-src 'unsafe-inline'")
                .header("X-Robots-Tag", "noindex");
    }

    /** The task's details as JSON, for a page or tool that renders them itself. */
    @Get(value = "/task", produces = MediaType.APPLICATION_JSON)
    HttpResponse<BrowserUseV1Views.SharedTask> task(String taskId, @Nullable @QueryValue String token) {
        TaskRecord t = service.shared(taskId, token);
        return HttpResponse.ok(BrowserUseV1Views.SharedTask.of(BrowserUseV1Views.task(t, "", Optional.empty())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    @Get("/screenshots/{artifactId}")
    HttpResponse<?> screenshot(String taskId, String artifactId, @Nullable @QueryValue String token) {
        TaskRecord t = service.shared(taskId, token);
        Artifact a = tasks.artifact(t, artifactId).filter(x -> x.contentType().startsWith("image/"))
                .orElseThrow(() -> new NotFoundException("artifact_not_found", "no such screenshot"));
        Optional<URI> link = tasks.artifactLink(a);
        if (link.isPresent()) {
            return HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, link.get().toString())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        return HttpResponse.ok(tasks.artifactBytes(a)).contentType(MediaType.of(a.contentType()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static String render(TaskRecord t, String token) {
        String q = "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        BrowserUseV1Views.Task view = BrowserUseV1Views.task(t, "", Optional.empty());
        StringBuilder b = new StringBuilder(4096);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shared task</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}")
                .append(".step{border-top:1px solid #ccc;padding:1rem 0}img{max-width:100%;border:1px solid #ddd}")
                .append("code{white-space:pre-wrap;word-break:break-all}</style></head><body>");
        b.append("<h1>Task</h1><p id=\"task\">").append(html(String.valueOf(view.summary().task()))).append("</p>");
        b.append("<p>Status: <strong id=\"status\">").append(html(String.valueOf(view.summary().status())))
                .append("</strong></p>");
        if (view.summary().output() != null) {
            b.append("<h2>Output</h2><p id=\"output\"><code>").append(html(view.summary().output()))
                    .append("</code></p>");
        }
        b.append("<h2>Steps</h2>");
        JsonNode steps = t.agent() == null ? null : t.agent().path("steps");
        int i = 0;
        for (BrowserUseV1Views.Step step : view.steps()) {
            b.append("<section class=\"step\"><h3>Step ").append(step.step()).append("</h3>");
            b.append("<p>Evaluation: ").append(html(String.valueOf(step.evaluationPreviousGoal())))
                    .append("</p><p>Next goal: ").append(html(String.valueOf(step.nextGoal()))).append("</p>");
            b.append("<p>URL: <code>").append(html(String.valueOf(step.url()))).append("</code></p>");
            b.append("<p>Actions: <code>").append(html(String.valueOf(step.actions()))).append("</code></p>");
            JsonNode raw = steps == null ? null : steps.get(i);
            if (raw != null && raw.hasNonNull("screenshotArtifactId")) {
                b.append("<img alt=\"screenshot of step ").append(step.step()).append("\" src=\"/share/")
                        .append(html(t.id())).append("/screenshots/")
                        .append(html(raw.get("screenshotArtifactId").asText())).append(html(q)).append("\">");
            }
            b.append("</section>");
            i++;
        }
        return b.append("</body></html>").toString();
    }

    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
