package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.http.RequestProblems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/** browser-use v2's agent sessions: {@code /api/v2/sessions}, as the SDK's {@code client.sessions} calls them. */
@Tag(name = ApiDefinition.V2)
@Controller("/api/v2/sessions")
final class V2SessionController {
    static final Set<String> UPDATE_FIELDS = Set.of("action");
    static final List<String> SESSION_STATUSES = List.of("active", "stopped");

    private final V2SessionService service;

    V2SessionController(V2SessionService service) {
        this.service = service;
    }

    @Post
    HttpResponse<V2Views.SessionItem> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                                             HttpRequest<?> request) {
        V2Body b = V2Body.parse(body, true, V2SessionRequest.SESSION_FIELDS);
        V2SessionRequest r = V2SessionRequest.forSession(b);
        b.check();
        return HttpResponse.created(service.item(service.createAgentSession(caller, r), PublicBase.of(request)));
    }

    @Get
    V2Views.Page<V2Views.SessionItem> list(@Parameter(hidden = true) Caller caller,
                                           @Nullable @QueryValue String pageSize,
                                           @Nullable @QueryValue String pageNumber,
                                           @Nullable @QueryValue String filterBy, HttpRequest<?> request) {
        V2Views.Page<V2SessionService.V2Session> page = service.list(caller, V2SessionRecord.AGENT,
                status(filterBy), V2Pages.size(pageSize), V2Pages.number(pageNumber));
        String base = PublicBase.of(request);
        return new V2Views.Page<>(page.items().stream().map(v -> service.item(v, base)).toList(),
                page.totalItems(), page.pageNumber(), page.pageSize());
    }

    @Get("/{sessionId}")
    V2Views.SessionView get(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                            HttpRequest<?> request) {
        return service.view(service.get(caller, sessionId, V2SessionRecord.AGENT), PublicBase.of(request));
    }

    /** {@code {"action": "stop"}}: stops the session's tasks and the session. */
    @Patch("/{sessionId}")
    V2Views.SessionView update(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                               @Nullable @Body String body,
                               HttpRequest<?> request) {
        stopAction(body);
        return service.view(service.stop(caller, sessionId, V2SessionRecord.AGENT), PublicBase.of(request));
    }

    @Delete("/{sessionId}")
    HttpResponse<?> delete(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId) {
        service.delete(caller, sessionId);
        return HttpResponse.noContent();
    }

    @Get("/{sessionId}/public-share")
    V2Views.Share share(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                        HttpRequest<?> request) {
        return V2SessionService.shareView(service.existingShare(caller, sessionId), PublicBase.of(request));
    }

    /** Makes the session's public share, or answers the one it has. */
    @Post("/{sessionId}/public-share")
    HttpResponse<V2Views.Share> createShare(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                                            HttpRequest<?> request) {
        return HttpResponse.created(V2SessionService.shareView(service.share(caller, sessionId),
                PublicBase.of(request)));
    }

    @Delete("/{sessionId}/public-share")
    HttpResponse<?> deleteShare(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId) {
        service.unshare(caller, sessionId);
        return HttpResponse.noContent();
    }

    /** The only update v2 has: {@code {"action": "stop"}}. */
    static void stopAction(String body) {
        V2Body b = V2Body.parse(body, false, UPDATE_FIELDS);
        if (!b.hasValue("action")) {
            b.problem("action", "Field required", "missing");
        }
        b.choice("action", List.of("stop"), null);
        b.check();
    }

    static String status(String filterBy) {
        if (filterBy == null || filterBy.isBlank()) {
            return null;
        }
        if (!SESSION_STATUSES.contains(filterBy)) {
            throw RequestProblems.of(List.of("query", "filterBy"), "Input should be 'active' or"
                    + " 'stopped'", "enum");
        }
        return filterBy;
    }
}
