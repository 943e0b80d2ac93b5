package dev.tabrunner.events;

import dev.tabrunner.domain.TaskError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Duration;

/**
 * One log line per task transition - created, started, action failed, paused, needs input, completed, failed
 * (with its error code), stopped - with the task's duration once it ended. Ids and codes only: never a request
 * body, a URL's query, a secret or an error message (which may quote page text).
 */
public final class TaskEventLog implements TaskEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEventLog.class);

    @Override
    public void onEvent(TaskEvent e) {
        TaskError error = e.task().error();
        if (e.kind() == TaskEvent.Kind.FAILED && error != null && error.actionIndex() >= 0) {
            line(e, "action_failed").addKeyValue("actionIndex", error.actionIndex())
                    .addKeyValue("actionType", error.actionType()).addKeyValue("errorCode", error.code())
                    .log("task {} action {} ({}) failed: {}", e.task().id(), error.actionIndex(),
                            error.actionType(), error.code());
        }
        LoggingEventBuilder line = line(e, e.kind().wireName());
        if (error != null && e.kind() == TaskEvent.Kind.FAILED) {
            line = line.addKeyValue("errorCode", error.code()).addKeyValue("httpStatus", error.status());
        }
        Duration duration = e.duration();
        if (duration != null) {
            line = line.addKeyValue("durationMs", duration.toMillis());
        }
        line.log("task {} {}{}", e.task().id(), e.kind().wireName(),
                error != null && e.kind() == TaskEvent.Kind.FAILED ? " (" + error.code() + ")" : "");
    }

    private static LoggingEventBuilder line(TaskEvent e, String event) {
        return LOG.atInfo().addKeyValue("event", "task." + event).addKeyValue("taskId", e.task().id())
                .addKeyValue("tenant", e.task().tenantId()).addKeyValue("sessionId", e.task().sessionId())
                .addKeyValue("dialect", e.dialect()).addKeyValue("kind", e.task().kind());
    }
}
