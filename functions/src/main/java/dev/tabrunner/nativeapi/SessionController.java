package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.Limits;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.port.Page;
import dev.tabrunner.tasks.SessionService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;

/** {@code /browser/sessions}: the native dialect's session endpoints. */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/sessions")
final class SessionController {
    private final SessionService sessions;
    private final Idempotency idempotency;
    private final Clock clock;

    SessionController(SessionService sessions, Idempotency idempotency, Clock clock) {
        this.sessions = sessions;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/SessionRequest")))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    @Post
    HttpResponse<?> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions", body,
                () -> HttpResponse.created(view(sessions.create(caller,
                        SessionRequest.read(RequestBodies.parse(body))))));
    }

    @Get("/{sessionId}")
    SessionView get(@Parameter(hidden = true) Caller caller, String sessionId) {
        return view(sessions.get(caller, sessionId));
    }

    @Get
    SessionView.Listing list(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue Integer limit,
                             @Nullable @QueryValue String cursor) {
        Page<Session> page = sessions.list(caller, Limits.pageSize(limit), cursor);
        return new SessionView.Listing(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    @Delete("/{sessionId}")
    SessionView terminate(@Parameter(hidden = true) Caller caller, String sessionId) {
        return view(sessions.terminate(caller, sessionId));
    }

    private SessionView view(Session s) {
        return SessionView.of(s, clock.instant());
    }
}
