package dev.tabrunner.browsing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tabrunner.http.ErrorFormat;
import dev.tabrunner.http.RequestProblem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The browsing API's one error format: {@code {"error": {"code", "message"}, "task_id"}} with the error's own
 * status, {@code task_id} only where the error concerns a task that exists (a sync request that stopped waiting:
 * 504, the task goes on). Request problems are one 400 naming them all.
 */
final class BrowsingErrorFormat implements ErrorFormat {
    static final BrowsingErrorFormat INSTANCE = new BrowsingErrorFormat();
    /** The detail that carries the task an error concerns. */
    static final String TASK_ID = "task_id";

    private BrowsingErrorFormat() {
    }

    /** The body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(Error error, @JsonProperty(TASK_ID) String taskId) {
    }

    /** What went wrong: a stable code ({@code invalid_request}, {@code task_not_found}, ...) and a message. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Error(String code, String message) {
    }

    @Override
    public ErrorAnswer answer(int status, String code, String message, Map<String, Object> details) {
        Object taskId = details.get(TASK_ID);
        return new ErrorAnswer(status, new Body(new Error(code, message), taskId == null ? null : taskId.toString()));
    }

    @Override
    public ErrorAnswer problems(List<RequestProblem> problems) {
        String message = problems.stream()
                .map(p -> p.loc().stream().skip(1).map(String::valueOf).collect(Collectors.joining(".")) + ": "
                        + p.msg())
                .collect(Collectors.joining("; "));
        return answer(400, "invalid_request", message, Map.of());
    }

    @Override
    public String schemaName() {
        return "BrowsingError";
    }
}
