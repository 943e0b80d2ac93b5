package dev.tabrunner.api;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.port.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /browser/sessions}: the native dialect's session endpoints. */
@Controller("/browser/sessions")
final class SessionController {
    private final SessionService sessions;
    private final Idempotency idempotency;

    SessionController(SessionService sessions, Idempotency idempotency) {
        this.sessions = sessions;
        this.idempotency = idempotency;
    }

    @Post
    HttpResponse<?> create(Caller caller, @Nullable @Body String body,
                           @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions", body,
                () -> HttpResponse.created(sessions.view(sessions.create(caller, RequestBodies.parse(body)))));
    }

    @Get("/{sessionId}")
    Map<String, Object> get(Caller caller, String sessionId) {
        return sessions.view(sessions.get(caller, sessionId));
    }

    @Get
    Map<String, Object> list(Caller caller, @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        int n = Limits.pageSize(limit);
        Page<Session> page = sessions.list(caller, n, cursor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessions", page.items().stream().map(sessions::view).toList());
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    @Delete("/{sessionId}")
    Map<String, Object> terminate(Caller caller, String sessionId) {
        return sessions.view(sessions.terminate(caller, sessionId));
    }
}
