package dev.tabrunner.api;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;

import java.util.Map;

/**
 * {@code POST /browser/run-task}: seed 001's single-task pattern, a natural-language task in a session created for
 * it and terminated when it ends. Answers like {@code POST .../tasks}: 201 done, the failure's status, or 202 with
 * a poll URL (and the session's id, for polling, stopping or answering the task).
 */
@Controller("/browser")
final class RunTaskController {
    private final AgentTaskService agents;
    private final TaskService tasks;
    private final Idempotency idempotency;

    RunTaskController(AgentTaskService agents, TaskService tasks, Idempotency idempotency) {
        this.agents = agents;
        this.tasks = tasks;
        this.idempotency = idempotency;
    }

    @Post("/run-task")
    HttpResponse<?> run(Caller caller, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /browser/run-task", body,
                () -> respond(agents.await(agents.runTask(caller,
                        RequestBodies.parse(body, body == null || !body.contains("secrets"))))));
    }

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
}
