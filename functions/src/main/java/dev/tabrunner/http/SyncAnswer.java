package dev.tabrunner.http;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

/**
 * The answer of an endpoint that runs a task and waits for it (boundedly): 201 with the results when it finished
 * in time; the failure's own status, with the results so far, when it failed; 409 when it ended otherwise (stopped);
 * 202 with the view of a task still under way, which tells where to poll.
 */
public final class SyncAnswer {
    private SyncAnswer() {
    }

    /** How a dialect shows a task: with its outputs inlined (it has ended) or not (it is still under way). */
    @FunctionalInterface
    public interface TaskView<V> {
        V of(TaskRecord task, boolean ended);
    }

    public static <V> HttpResponse<V> of(TaskRecord t, TaskView<V> view) {
        if (t.status() == TaskStatus.FINISHED) {
            return HttpResponse.created(view.of(t, true));
        }
        if (t.status() == TaskStatus.FAILED && t.error() != null) {
            return HttpResponse.<V>status(HttpStatus.valueOf(t.error().status())).body(view.of(t, true));
        }
        if (t.status().isTerminal()) {
            return HttpResponse.<V>status(HttpStatus.CONFLICT).body(view.of(t, true));
        }
        return HttpResponse.<V>accepted().body(view.of(t, false));
    }
}
