package dev.tabrunner.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.events.TaskEvent;
import dev.tabrunner.json.Json;

/**
 * The body of a {@code task.updated} delivery: the event's id, type and time, and what the task is now - ids,
 * dialect, kind, status, the error's code and place when it failed, its times. Never the request, results or
 * outputs: the receiver reads those with its API key, so a leaked webhook body leaks no page data.
 */
public final class WebhookPayload {
    public static final String TYPE = "task.updated";

    private WebhookPayload() {
    }

    public static String of(TaskEvent e) {
        TaskRecord t = e.task();
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("id", e.id());
        root.put("type", TYPE);
        root.put("createdAt", e.at().toString());
        ObjectNode data = root.putObject("data");
        data.put("event", e.kind().wireName());
        data.put("taskId", t.id());
        data.put("sessionId", t.sessionId());
        data.put("tenantId", t.tenantId());
        data.put("dialect", e.dialect());
        data.put("kind", t.kind());
        data.put("status", t.status().nativeName());
        TaskError error = t.error();
        if (error != null) {
            ObjectNode err = data.putObject("error");
            err.put("status", error.status());
            err.put("code", error.code());
            if (error.actionIndex() >= 0) {
                err.put("actionIndex", error.actionIndex());
                err.put("actionType", error.actionType());
            }
        }
        data.put("taskCreatedAt", t.createdAt().toString());
        data.put("startedAt", t.startedAt() == null ? null : t.startedAt().toString());
        data.put("finishedAt", t.finishedAt() == null ? null : t.finishedAt().toString());
        return root.toString();
    }
}
