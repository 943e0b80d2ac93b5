package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Run Task ({@code POST /browser/sessions/{id}/tasks}), its PDF shortcut, and reading tasks back. */
@Controller("/browser/sessions/{sessionId}")
final class TaskController {
    private final TaskService tasks;
    private final AgentTaskService agents;
    private final Idempotency idempotency;

    TaskController(TaskService tasks, AgentTaskService agents, Idempotency idempotency) {
        this.tasks = tasks;
        this.agents = agents;
        this.idempotency = idempotency;
    }

    @Post("/tasks")
    HttpResponse<?> run(Caller caller, String sessionId, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/tasks", body,
                () -> {
                    // a body that may carry secrets is never quoted back in a parse error
                    JsonNode parsed = RequestBodies.parse(body, body == null || !body.contains("secrets"));
                    return AgentTaskService.isAgentTask(parsed)
                            ? respond(agents.await(agents.submit(caller, sessionId, parsed)))
                            : respond(tasks.awaitEnd(tasks.submit(caller, sessionId, parsed)));
                });
    }

    @Post("/pdf")
    HttpResponse<?> pdf(Caller caller, String sessionId, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/pdf", body, () -> {
            JsonNode options = RequestBodies.parse(body);
            TaskRequestParser.parsePdf(options);
            ObjectNode task = Json.mapper().createObjectNode();
            task.set("pdf", options);
            return respond(tasks.awaitEnd(tasks.submit(caller, sessionId, task)));
        });
    }

    /**
     * 201 with the results when the task finished in time; the failure's own status (with the results so far)
     * when it failed; 202 with a poll URL when it is still running.
     */
    private HttpResponse<Map<String, Object>> respond(TaskRecord t) {
        if (t.status() == TaskStatus.FINISHED) {
            return HttpResponse.created(tasks.view(t, true));
        }
        if (t.status() == TaskStatus.FAILED && t.error() != null) {
            return HttpResponse.<Map<String, Object>>status(HttpStatus.valueOf(t.error().status()))
                    .body(tasks.view(t, true));
        }
        if (t.status().isTerminal()) {
            return HttpResponse.<Map<String, Object>>status(HttpStatus.CONFLICT).body(tasks.view(t, true));
        }
        return HttpResponse.accepted().body(tasks.view(t, false));
    }

    @Get("/tasks/{taskId}")
    Map<String, Object> get(Caller caller, String sessionId, String taskId) {
        TaskRecord t = tasks.get(caller, sessionId, taskId);
        return tasks.view(t, t.status().isTerminal());
    }

    @Get("/tasks")
    Map<String, Object> list(Caller caller, String sessionId, @Nullable @QueryValue Integer limit,
                             @Nullable @QueryValue String cursor) {
        Page<TaskRecord> page = tasks.list(caller, sessionId, Limits.pageSize(limit), cursor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", page.items().stream().map(t -> tasks.view(t, false)).toList());
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    /** The answer to the question of a task in {@code guardrail_trigger}; the task goes on with it. */
    @Post("/tasks/{taskId}/respond")
    HttpResponse<Map<String, Object>> answer(Caller caller, String sessionId, String taskId,
                                             @Nullable @Body String body) {
        return respond(agents.await(agents.respond(caller, sessionId, taskId, RequestBodies.parse(body, false))));
    }

    @Post("/tasks/{taskId}/stop")
    Map<String, Object> stop(Caller caller, String sessionId, String taskId) {
        return tasks.view(tasks.stop(caller, sessionId, taskId), false);
    }

    @Post("/tasks/{taskId}/pause")
    Map<String, Object> pause(Caller caller, String sessionId, String taskId) {
        return tasks.view(tasks.pause(caller, sessionId, taskId), false);
    }

    @Post("/tasks/{taskId}/resume")
    Map<String, Object> resume(Caller caller, String sessionId, String taskId) {
        return tasks.view(tasks.resume(caller, sessionId, taskId), false);
    }

    /**
     * The artifact's bytes, or a 302 to a short-lived direct link where the blob store has them (S3 on AWS: the
     * API function's responses are capped at 6 MB and should not carry files anyway). The link in task views stays
     * this path, so that it never expires in a stored response.
     */
    @Get("/tasks/{taskId}/artifacts/{artifactId}")
    HttpResponse<?> artifact(Caller caller, String sessionId, String taskId, String artifactId) {
        TaskRecord t = tasks.get(caller, sessionId, taskId);
        Artifact a = tasks.artifact(t, artifactId).orElseThrow(() -> new NotFoundException("artifact_not_found",
                "artifact " + artifactId + " not found"));
        Optional<URI> link = tasks.artifactLink(a);
        if (link.isPresent()) {
            return HttpResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, link.get().toString())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        return HttpResponse.ok(tasks.artifactBytes(a)).contentType(MediaType.of(a.contentType()))
                .header("Content-Disposition", "attachment; filename=\"" + a.filename() + "\"");
    }
}
