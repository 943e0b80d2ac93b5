package dev.tabrunner.http;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

import java.util.function.Function;

/**
 * The answer of an endpoint that runs a task and waits for it (boundedly): 201 with the results when it finished
 * in time; the failure's own status, with the results so far, when it failed; 409 when it ended otherwise (stopped);
 * 202 with the view of a task still under way, which tells where to poll - in the body, and as {@code Location}
 * with a {@code Retry-After} when the dialect gives a poll URL.
 */
public final class SyncAnswer {
    private SyncAnswer() {
    }

    /** How long a caller told to poll should wait before it does (or long-polls with {@code ?wait=}). */
    public static final int RETRY_AFTER_SECONDS = 2;

    /** How a dialect shows a task: with its outputs inlined (it has ended) or not (it is still under way). */
    @FunctionalInterface
    public interface TaskView<V> {
        V of(TaskRecord task, boolean ended);
    }

    /** As {@link #of(TaskRecord, TaskView)}, a 202 also saying where to poll ({@code Location}) and when. */
    public static <V> HttpResponse<V> of(TaskRecord t, TaskView<V> view, Function<TaskRecord, String> pollUrl) {
        if (!t.status().isTerminal()) {
            return HttpResponse.<V>accepted().body(view.of(t, false)).header(HttpHeaders.LOCATION, pollUrl.apply(t))
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        }
        return of(t, view);
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
