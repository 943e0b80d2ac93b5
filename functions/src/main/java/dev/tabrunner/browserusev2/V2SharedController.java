package dev.tabrunner.browserusev2;

import dev.tabrunner.http.ApiDefinition;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A session's public share ({@code POST /sessions/{id}/public-share}): its tasks, steps and outputs, readable
 * without an API key. The token in the link is the authorisation and opens that session only; any other link
 * answers 404 alike. Secrets are concealed in everything a task stores, so nothing shown holds one.
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/api/v2/shared/{token}")
final class V2SharedController {
    private final V2SessionService service;

    V2SharedController(V2SessionService service) {
        this.service = service;
    }

    @Get
    HttpResponse<V2Views.SharedSession> get(@PathVariable String token) {
        V2SessionService.V2Session v = service.shared(token);
        var s = v.session();
        // screenshots need a key: a shared page shows none
        var tasks = service.tasks(s).stream().map(t -> V2Views.task(t, id -> null)).toList();
        return HttpResponse.ok(new V2Views.SharedSession(s.id(), V2Views.sessionStatus(s, service.now()),
                s.createdAt(), V2Views.sessionFinishedAt(s, service.now()), tasks))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Referrer-Policy", "no-referrer")
                .header("X-Robots-Tag", "noindex");
    }
}
