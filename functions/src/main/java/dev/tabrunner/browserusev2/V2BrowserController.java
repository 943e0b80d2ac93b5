package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.http.PublicBase;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/**
 * browser-use v2's browsers: {@code /api/v2/browsers}, sessions whose browser the caller drives over CDP
 * ({@link BrowserConnect}). Where CDP connect is not available (AWS Lambda), creation answers 501 saying so.
 */
@Tag(name = ApiDefinition.V2)
@Controller("/api/v2/browsers")
final class V2BrowserController {
    private final V2SessionService service;

    V2BrowserController(V2SessionService service) {
        this.service = service;
    }

    @ApiResponse(responseCode = "201", description = "the browser, with cdpUrl (a ws:// link for"
            + " chromium.connectOverCDP or puppeteer.connect that opens the browser again and again, one client at a"
            + " time, until it is stopped or times out) and liveUrl (a person's view of it); 501 on a deployment"
            + " whose workers take no inbound connections (AWS Lambda)",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = V2Views.Browser.class)))
    @Post
    HttpResponse<V2Views.Browser> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                                         HttpRequest<?> request) {
        V2Body b = V2Body.parse(body, true, V2SessionRequest.BROWSER_FIELDS);
        V2SessionRequest r = V2SessionRequest.forBrowser(b);
        b.check();
        return HttpResponse.created(service.browser(service.createBrowser(caller, r), PublicBase.of(request)));
    }

    /** {@code metadata} and {@code agentSessionId} filters are not offered: a filtered list would mislead. */
    @Get
    V2Views.Page<V2Views.Browser> list(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue String pageSize,
                                       @Nullable @QueryValue String pageNumber, @Nullable @QueryValue String filterBy,
                                       @Nullable @QueryValue String metadata,
                                       @Nullable @QueryValue String agentSessionId, HttpRequest<?> request) {
        if (metadata != null || agentSessionId != null) {
            throw RequestProblems.of(List.of("query", metadata != null ? "metadata"
                    : "agentSessionId"), "Value error, not offered by this server: filter by status (filterBy)",
                    "value_error");
        }
        V2Views.Page<V2SessionService.V2Session> page = service.list(caller, V2SessionRecord.BROWSER,
                V2SessionController.status(filterBy), V2Pages.size(pageSize), V2Pages.number(pageNumber));
        String base = PublicBase.of(request);
        return new V2Views.Page<>(page.items().stream().map(v -> service.browser(v, base)).toList(),
                page.totalItems(),
                page.pageNumber(), page.pageSize());
    }

    @Get("/{sessionId}")
    V2Views.Browser get(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                        HttpRequest<?> request) {
        return service.browser(service.get(caller, sessionId, V2SessionRecord.BROWSER), PublicBase.of(request));
    }

    /** {@code {"action": "stop"}}. */
    @Patch("/{sessionId}")
    V2Views.Browser update(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                           @Nullable @Body String body, HttpRequest<?> request) {
        V2SessionController.stopAction(body);
        return service.browser(service.stop(caller, sessionId, V2SessionRecord.BROWSER), PublicBase.of(request));
    }
}
