package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.replay.Replays;
import dev.tabrunner.tasks.TaskService;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A recorded task's recording (ADR 0042) and the link to its replay page. Both answer 404 like an unknown task when
 * the task was not recorded, is another tenant's or belongs to another session.
 */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/sessions/{sessionId}/tasks/{taskId}")
final class RecordingController {
    private final TaskService tasks;
    private final Replays replays;

    RecordingController(TaskService tasks, Replays replays) {
        this.tasks = tasks;
        this.replays = replays;
    }

    /**
     * The task's rrweb recording: {@code {format, version, truncated, events, marks}}, the events of every run of
     * the task in order and its actions (or agent steps) as {@code marks} on the events' clock.
     */
    @Get(value = "/recording", produces = MediaType.APPLICATION_JSON)
    HttpResponse<byte[]> recording(@Parameter(hidden = true) Caller caller, String sessionId, String taskId) {
        return HttpResponse.ok(replays.recording(tasks.get(caller, sessionId, taskId)))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /**
     * A link to the task's replay page, which a browser opens without the API key for {@link Replays#LINK_TTL}; the
     * page plays the recording with the task's actions marked on its timeline.
     */
    @Post("/replay")
    HttpResponse<ReplayLinkView> replay(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                                        HttpRequest<?> request) {
        TaskRecord t = tasks.get(caller, sessionId, taskId);
        Replays.Link link = replays.link(t);
        String page = PublicBase.of(request) + "/replay/" + t.id() + "?token="
                + URLEncoder.encode(link.token(), StandardCharsets.UTF_8);
        return HttpResponse.created(new ReplayLinkView(page, link.expiresAt().toString()));
    }

    /**
     * @param replayUrl the replay page; its token is the authorisation, so it is handed only to whoever may watch
     * @param expiresAt when the link stops opening the page (ISO-8601)
     */
    record ReplayLinkView(String replayUrl, String expiresAt) {
    }
}
