package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabrunner.adapter.aws.AwsAdapters;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.SessionTurns;
import dev.tabrunner.service.TaskEnds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Consumes the worker's on-failure destination (an SQS queue): each message is Lambda's record of an asynchronous
 * invocation that failed for good ({@code RetriesExhausted}, {@code EventAgeExceeded}). The task it carried is
 * marked {@code failed} with code {@code worker_failed} and the condition in the message, with a conditional write,
 * so a task that ended meanwhile (or that another record already failed) is left as it is; then what follows any
 * task's end follows (the session's turn, the task's secrets, a session of its own).
 *
 * <p>Reads the SQS event as JSON itself rather than through the events library, whose {@code Records} field needs
 * the Lambda runtime's own serializer. A record that cannot be processed now (DynamoDB unreachable) fails the
 * batch, which SQS redelivers; processing is idempotent.
 */
public final class DeadLetterHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int UPDATE_ATTEMPTS = 3;

    private final TaskStore tasks;
    private final Clock clock;
    private final Consumer<TaskRecord> ended;

    public DeadLetterHandler() {
        this(AwsAdapters.create(AwsClients.create(AwsSettings.from(System.getenv()), System.getenv()),
                AwsSettings.from(System.getenv())), Clock.systemUTC());
    }

    private DeadLetterHandler(AwsAdapters aws, Clock clock) {
        this(aws.tasks(), clock, endingWith(aws, clock));
    }

    /**
     * @param ended what follows a task's end here as after any other end: its session's turn handed on, its
     *              secrets discarded, a session that lived only for it terminated
     */
    public DeadLetterHandler(TaskStore tasks, Clock clock, Consumer<TaskRecord> ended) {
        this.tasks = tasks;
        this.clock = clock;
        this.ended = ended;
    }

    private static Consumer<TaskRecord> endingWith(AwsAdapters aws, Clock clock) {
        SessionTurns turns = new SessionTurns(aws.sessions(), aws.tasks(), aws.dispatcher());
        TaskEnds ends = new TaskEnds(aws.vault(), aws.sessions(), aws.tasks(), clock);
        return task -> {
            turns.giveBack(task.tenantId(), task.sessionId(), task.id(), s -> s);
            ends.ended(task);
        };
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        int failed = 0;
        int marked = 0;
        for (JsonNode record : event.path("Records")) {
            try {
                if (handleRecord(record.path("body").asText())) {
                    marked++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("failure record {} could not be processed", record.path("messageId").asText(), e);
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " failure record(s) could not be processed; SQS retries them");
        }
        output.write(("{\"tasksMarkedFailed\":" + marked + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** @return true when the task was marked failed now */
    boolean handleRecord(String body) throws IOException {
        JsonNode failure = JSON.readTree(body);
        JsonNode payload = failure.path("requestPayload");
        if (payload.isTextual()) {
            payload = JSON.readTree(payload.asText());
        }
        String taskId = payload.path("taskId").asText(null);
        if (taskId == null || taskId.isBlank()) {
            LOG.warn("failure record without a task id ignored");
            return false;
        }
        String message = describe(failure);
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Optional<TaskRecord> found = tasks.findForWorker(taskId);
            if (found.isEmpty()) {
                LOG.warn("failure record for unknown task {} ignored", taskId);
                return false;
            }
            TaskRecord task = found.get();
            if (task.status().isTerminal()) {
                LOG.info("task {} already ended as {}; failure record ignored", taskId, task.status());
                return false;
            }
            TaskRecord next = task.toBuilder().status(TaskStatus.FAILED)
                    .error(TaskError.of(500, "worker_failed", message)).finishedAt(clock.instant())
                    .lease(null, null).liveViewUrl(null).build();
            try {
                tasks.update(next);
                LOG.info("task {} marked failed: {}", taskId, message);
                ended.accept(next);
                return true;
            } catch (ConflictException e) {
                // a worker wrote a checkpoint meanwhile: read again and decide again
            }
        }
        throw new ConflictException("task_changed", "task " + taskId + " kept changing; will retry");
    }

    /** The condition and error type only: a worker's error message could quote a page, never worth storing. */
    static String describe(JsonNode failure) {
        String condition = safe(failure.path("requestContext").path("condition").asText(null), "Unknown");
        StringBuilder out = new StringBuilder("the worker gave up on this task (").append(condition);
        int attempts = failure.path("requestContext").path("approximateInvokeCount").asInt(0);
        if (attempts > 0) {
            out.append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts");
        }
        String errorType = safe(failure.path("responsePayload").path("errorType").asText(null), null);
        String functionError = safe(failure.path("responseContext").path("functionError").asText(null), null);
        if (errorType != null) {
            out.append(", ").append(errorType);
        } else if (functionError != null) {
            out.append(", ").append(functionError).append(" error");
        }
        return out.append(')').toString();
    }

    private static String safe(String value, String fallback) {
        return value != null && SAFE_WORD.matcher(value).matches() ? value : fallback;
    }
}
