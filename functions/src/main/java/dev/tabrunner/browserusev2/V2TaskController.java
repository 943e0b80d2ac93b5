package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.tasks.TaskService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** browser-use v2's tasks: {@code /api/v2/tasks}, as the SDK's {@code client.tasks} and {@code client.run} call. */
@Tag(name = ApiDefinition.V2)
@Controller("/api/v2/tasks")
final class V2TaskController {
    private static final Set<String> UPDATE_FIELDS = Set.of("action");

    private final V2TaskService service;
    private final TaskService tasks;

    V2TaskController(V2TaskService service, TaskService tasks) {
        this.service = service;
        this.tasks = tasks;
    }

    /** 202, as browser-use answers: the task runs on. */
    @Post
    HttpResponse<V2Views.TaskCreated> create(@Parameter(hidden = true) Caller caller, @Nullable @Body String body) {
        TaskRecord t = service.create(caller, V2TaskRequest.parse(body));
        return HttpResponse.status(HttpStatus.ACCEPTED).body(new V2Views.TaskCreated(t.id(), t.sessionId()));
    }

    @Get
    V2Views.Page<V2Views.TaskItem> list(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue String pageSize,
                                        @Nullable @QueryValue String pageNumber,
                                        @Nullable @QueryValue String sessionId, @Nullable @QueryValue String filterBy,
                                        @Nullable @QueryValue String after, @Nullable @QueryValue String before) {
        V2Views.Page<TaskRecord> page = service.list(caller, V2Pages.size(pageSize), V2Pages.number(pageNumber),
                sessionId, filterBy, after, before);
        return new V2Views.Page<>(page.items().stream().map(V2Views::item).toList(), page.totalItems(),
                page.pageNumber(), page.pageSize());
    }

    @Get("/{taskId}")
    V2Views.Task get(@Parameter(hidden = true) Caller caller, @PathVariable String taskId, HttpRequest<?> request) {
        return view(service.get(caller, taskId), PublicBase.of(request));
    }

    /** {@code {"action": "stop" | "stop_task_and_session"}}. */
    @Patch("/{taskId}")
    V2Views.Task update(@Parameter(hidden = true) Caller caller, @PathVariable String taskId,
                        @Nullable @Body String body,
                        HttpRequest<?> request) {
        V2Body b = V2Body.parse(body, false, UPDATE_FIELDS);
        String action = b.choice("action", List.of("stop", "stop_task_and_session"), null);
        if (action == null && !b.hasValue("action")) {
            b.problem("action", "Field required", "missing");
        }
        b.check();
        return view(service.update(caller, taskId, action), PublicBase.of(request));
    }

    @Get("/{taskId}/status")
    V2Views.TaskStatusView status(@Parameter(hidden = true) Caller caller, @PathVariable String taskId) {
        return V2Views.statusView(service.get(caller, taskId));
    }

    /** Where the task's log is read: a link on this server (it takes the API key). */
    @Get("/{taskId}/logs")
    V2Views.LogFile logs(@Parameter(hidden = true) Caller caller, @PathVariable String taskId, HttpRequest<?> request) {
        TaskRecord t = service.get(caller, taskId);
        return new V2Views.LogFile(PublicBase.of(request) + "/api/v2/tasks/" + t.id() + "/logs/content");
    }

    /** The task's log as text: its steps, their actions, and how it ended. */
    @Get(value = "/{taskId}/logs/content", produces = MediaType.TEXT_PLAIN)
    String logContent(@Parameter(hidden = true) Caller caller, @PathVariable String taskId) {
        return V2Logs.text(service.get(caller, taskId));
    }

    /** A step's screenshot or a downloaded file: a redirect to the blob store's link where it has one. */
    @Get("/{taskId}/artifacts/{artifactId}")
    HttpResponse<?> artifact(@Parameter(hidden = true) Caller caller, @PathVariable String taskId,
                             @PathVariable String artifactId) {
        Artifact a = tasks.artifact(service.get(caller, taskId), artifactId)
                .orElseThrow(() -> new NotFoundException("artifact_not_found", "Output file not found"));
        Optional<URI> link = tasks.artifactLink(a);
        if (link.isPresent()) {
            return HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, link.get().toString());
        }
        return HttpResponse.ok(tasks.artifactBytes(a)).contentType(MediaType.of(a.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + a.filename().replace("\"", "")
                        + "\"");
    }

    static V2Views.Task view(TaskRecord t, String base) {
        return V2Views.task(t, id -> base + "/api/v2/tasks/" + t.id() + "/artifacts/" + id);
    }
}
