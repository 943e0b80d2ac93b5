package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.Limits;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.http.RequestDeadline;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.http.RequestDeadline;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.tasks.AgentTaskService;
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
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Run Task ({@code POST /browser/sessions/{id}/tasks}) and seed 001's {@code send-message}, the PDF shortcut, and
 * reading tasks back. The links in task views are absolute, built from the host the caller reached.
 */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/sessions/{sessionId}")
final class TaskController {
    /** The longest long poll: under API Gateway's 30 s, and the function's deadline bounds it further. */
    static final int MAX_WAIT_SECONDS = 30;

    private final TaskService tasks;
    private final AgentTaskService agents;
    private final TaskViews views;
    private final Idempotency idempotency;
    private final Clock clock;

    TaskController(TaskService tasks, AgentTaskService agents, TaskViews views, Idempotency idempotency,
                   Clock clock) {
        this.tasks = tasks;
        this.agents = agents;
        this.views = views;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/RunTaskRequest"),
            examples = {@ExampleObject(name = "RunTaskLogin", ref = "#/components/examples/RunTaskLogin"),
                    @ExampleObject(name = "AgentTask", ref = "#/components/examples/AgentTask")}))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NativeTaskView.class)))
    @Post("/tasks")
    HttpResponse<?> run(@Parameter(hidden = true) Caller caller, String sessionId, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey, HttpRequest<?> request) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/tasks", body,
                () -> {
                    JsonNode parsed = TaskBodies.parse(body);
                    boolean agent = TaskBodies.isAgentTask(parsed);
                    // the wait counts from the request's arrival, and ends before the function's own deadline
                    Instant answerBy = RequestDeadline.answerBy(request,
                            agent ? agents.syncWait() : tasks.syncWait(), clock);
                    TaskRecord t = agent
                            ? agents.await(agents.submit(caller, sessionId, parsed), answerBy)
                            : tasks.awaitEnd(tasks.submit(caller, sessionId, parsed), answerBy);
                    return views.answer(t, PublicBase.of(request));
                });
    }

    /**
     * Seed 001's way to add a task to an existing session ("Task Dependencies"): the body holds the task's
     * parameters ({@code taskDetails}, ...), and the answer is that of {@code POST .../tasks}.
     */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/RunTaskRequest"),
            examples = {@ExampleObject(name = "AgentTask", ref = "#/components/examples/AgentTask")}))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NativeTaskView.class)))
    @Post("/send-message")
    HttpResponse<?> sendMessage(@Parameter(hidden = true) Caller caller, String sessionId, @Nullable @Body String body,
                                @Nullable @Header(Idempotency.HEADER) String idempotencyKey,
                                HttpRequest<?> request) {
        Instant answerBy = RequestDeadline.answerBy(request, agents.syncWait(), clock);
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/send-message",
                body, () -> views.answer(agents.await(agents.submit(caller, sessionId, TaskBodies.parse(body)),
                        answerBy), PublicBase.of(request)));
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/PdfOptions")))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NativeTaskView.class)))
    @Post("/pdf")
    HttpResponse<?> pdf(@Parameter(hidden = true) Caller caller, String sessionId, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey, HttpRequest<?> request) {
        Instant answerBy = RequestDeadline.answerBy(request, tasks.syncWait(), clock);
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/pdf", body, () -> {
            JsonNode options = RequestBodies.parse(body);
            TaskRequestParser.parsePdf(options);
            ObjectNode task = Json.mapper().createObjectNode();
            task.set("pdf", options);
            return views.answer(tasks.awaitEnd(tasks.submit(caller, sessionId, task), answerBy),
                    PublicBase.of(request));
        });
    }

    /**
     * A task; once it ended, its outputs inlined within the answer's budget ({@link TaskViews#INLINE_BUDGET_BYTES}),
     * or never with {@code ?inline=false} (download URLs only). With {@code ?wait=N} (1 to 30 seconds) a task still
     * under way is answered when it ends or stops on its own (paused, waiting for an answer), or after N seconds as
     * it then is: a long poll instead of a loop.
     */
    @Get("/tasks/{taskId}")
    NativeTaskView get(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                       @Nullable @QueryValue Boolean inline, @Nullable @QueryValue Integer wait,
                       HttpRequest<?> request) {
        TaskRecord t = tasks.get(caller, sessionId, taskId);
        if (wait != null) {
            if (wait < 1 || wait > MAX_WAIT_SECONDS) {
                throw ApiException.badRequest("wait", "must be 1 to " + MAX_WAIT_SECONDS + " seconds");
            }
            t = tasks.awaitEnd(t, RequestDeadline.bound(request, Duration.ofSeconds(wait), clock));
        }
        return views.of(t, t.status().isTerminal() && !Boolean.FALSE.equals(inline), PublicBase.of(request));
    }

    @Get("/tasks")
    NativeTaskView.Listing list(@Parameter(hidden = true) Caller caller, String sessionId,
                                @Nullable @QueryValue Integer limit,
                                @Nullable @QueryValue String cursor, HttpRequest<?> request) {
        Page<TaskRecord> page = tasks.list(caller, sessionId, Limits.pageSize(limit), cursor);
        String base = PublicBase.of(request);
        return new NativeTaskView.Listing(page.items().stream().map(t -> views.of(t, false, base)).toList(),
                page.nextCursor());
    }

    /** The answer to the question of a task in {@code guardrail_trigger}; the task goes on with it. */
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/AnswerRequest")))
    @Post("/tasks/{taskId}/respond")
    HttpResponse<NativeTaskView> answer(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                                        @Nullable @Body String body,
                                        HttpRequest<?> request) {
        Instant answerBy = RequestDeadline.answerBy(request, agents.syncWait(), clock);
        String answer = AnswerRequest.read(RequestBodies.parse(body, false));
        return views.answer(agents.await(agents.respond(caller, sessionId, taskId, answer), answerBy),
                PublicBase.of(request));
    }

    @Post("/tasks/{taskId}/stop")
    NativeTaskView stop(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                        HttpRequest<?> request) {
        return views.of(tasks.stop(caller, sessionId, taskId), false, PublicBase.of(request));
    }

    @Post("/tasks/{taskId}/pause")
    NativeTaskView pause(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                         HttpRequest<?> request) {
        return views.of(tasks.pause(caller, sessionId, taskId), false, PublicBase.of(request));
    }

    @Post("/tasks/{taskId}/resume")
    NativeTaskView resume(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                          HttpRequest<?> request) {
        return views.of(tasks.resume(caller, sessionId, taskId), false, PublicBase.of(request));
    }

    /**
     * The artifact's bytes, or a 302 to a short-lived direct link where the blob store has them (S3 on AWS: the
     * API function's responses are capped at 6 MB and should not carry files anyway). The link in task views stays
     * this path, so that it never expires in a stored response.
     */
    @Get("/tasks/{taskId}/artifacts/{artifactId}")
    HttpResponse<?> artifact(@Parameter(hidden = true) Caller caller, String sessionId, String taskId,
                             String artifactId) {
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
