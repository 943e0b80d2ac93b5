package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.http.RequestDeadline;
import dev.tabrunner.tasks.AgentTaskService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /browser/run-task}: seed 001's single-task pattern, a natural-language task in a session created for
 * it and terminated when it ends. Answers like {@code POST .../tasks}: 201 done, the failure's status, or 202 with
 * a poll URL (and the session's id, for polling, stopping or answering the task).
 */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser")
final class RunTaskController {
    private final AgentTaskService agents;
    private final TaskViews views;
    private final Idempotency idempotency;
    private final Clock clock;

    RunTaskController(AgentTaskService agents, TaskViews views, Idempotency idempotency, Clock clock) {
        this.agents = agents;
        this.views = views;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/RunTaskInOwnSession"),
            examples = {@ExampleObject(name = "AgentTask", ref = "#/components/examples/AgentTask")}))
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = NativeTaskView.class)))
    @Post("/run-task")
    HttpResponse<?> run(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey, HttpRequest<?> request) {
        Instant answerBy = RequestDeadline.answerBy(request, agents.syncWait(), clock);
        return idempotency.once(caller, idempotencyKey, "POST /browser/run-task", body, () -> {
            JsonNode json = TaskBodies.parse(body);
            RunTaskRequest r = RunTaskRequest.read(json, agents.check(json, RunTaskRequest.FIELDS));
            return views.answer(agents.await(agents.runInOwnSession(caller, r.task(), r.session(), s -> s, null),
                    answerBy), PublicBase.of(request));
        });
    }
}
