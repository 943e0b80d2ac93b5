package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import io.micronaut.core.annotation.Nullable;
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

import java.util.Optional;
import java.util.Set;

/**
 * browser-use v2's profiles: {@code /api/v2/profiles}. A profile is an environment of the native API and a v1
 * {@code browser_profile_id}: a task's {@code sessionSettings.profileId} or a session's {@code profileId} starts
 * from its saved browser state and saves back into it.
 */
@Tag(name = ApiDefinition.V2)
@Controller("/api/v2/profiles")
final class V2ProfileController {
    private static final Set<String> FIELDS = Set.of("name", "userId");
    private static final int MAX_TEXT = 200;

    private final V2ProfileService service;

    V2ProfileController(V2ProfileService service) {
        this.service = service;
    }

    @Post
    HttpResponse<V2Views.Profile> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body) {
        V2Body b = V2Body.parse(body, true, FIELDS);
        String name = b.string("name", false, MAX_TEXT);
        String userId = b.string("userId", false, MAX_TEXT);
        b.check();
        return HttpResponse.created(service.create(caller, name, userId));
    }

    @Get
    V2Views.Page<V2Views.Profile> list(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue String pageSize,
                                       @Nullable @QueryValue String pageNumber, @Nullable @QueryValue String query) {
        return service.list(caller, query == null || query.isBlank() ? null : query, V2Pages.size(pageSize),
                V2Pages.number(pageNumber));
    }

    @Get("/{profileId}")
    V2Views.Profile get(@Parameter(hidden = true) Caller caller, @PathVariable String profileId) {
        return service.get(caller, profileId);
    }

    /** Sets the fields the body names; {@code userId: null} clears it. */
    @Patch("/{profileId}")
    V2Views.Profile update(@Parameter(hidden = true) Caller caller, @PathVariable String profileId,
                           @Nullable @Body String body) {
        V2Body b = V2Body.parse(body, false, FIELDS);
        String name = b.string("name", false, MAX_TEXT);
        String userId = b.string("userId", false, MAX_TEXT);
        b.check();
        return service.update(caller, profileId, Optional.ofNullable(name),
                b.has("userId") ? Optional.of(Optional.ofNullable(userId)) : Optional.empty());
    }

    @Delete("/{profileId}")
    HttpResponse<?> delete(@Parameter(hidden = true) Caller caller, @PathVariable String profileId) {
        service.delete(caller, profileId);
        return HttpResponse.noContent();
    }
}
