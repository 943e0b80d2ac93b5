package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.TaskRecord;

import java.time.Duration;
import java.util.List;

/**
 * A task of any dialect in the tenant's list ({@code GET /browser/tasks}): what it is, how it went, what it cost and
 * which key created it. The whole task is at {@code taskUrl}, in the native API's view.
 *
 * @param dialect    the API that created it: {@code native}, {@code browser-use-v1}, {@code browsing}, ...
 * @param status     in the native API's terms ({@code task_completed}, {@code failed}, ...)
 * @param durationMs from its first start to its end (or to now while it runs); null before it started
 * @param cost       the language model's cost in USD, for agent tasks
 * @param createdBy  the id of the API key that created it (null for tasks older than this field)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record TaskSummaryView(String taskId, String sessionId, String dialect, String kind, String status,
                       String createdAt, String startedAt, String finishedAt, Long durationMs, Double cost,
                       String createdBy, String errorCode, String taskUrl) {

    /** One page of the tenant's tasks, newest first; {@code nextCursor} is null on the last. */
    record Listing(List<TaskSummaryView> tasks, String nextCursor) {
    }

    static TaskSummaryView of(TaskRecord t, java.time.Instant now, String base) {
        Long duration = t.startedAt() == null ? null
                : Duration.between(t.startedAt(), t.finishedAt() != null ? t.finishedAt() : now).toMillis();
        JsonNode cost = t.agent() == null ? null : t.agent().path("usage").get("cost");
        return new TaskSummaryView(t.id(), t.sessionId(), t.dialect() == null ? "native" : t.dialect().name(),
                t.kind(), t.status().nativeName(), t.createdAt().toString(),
                t.startedAt() == null ? null : t.startedAt().toString(),
                t.finishedAt() == null ? null : t.finishedAt().toString(), duration,
                cost == null || !cost.isNumber() ? null : cost.asDouble(), t.createdBy(),
                t.error() == null ? null : t.error().code(), TaskViews.pollUrl(t, base));
    }
}
