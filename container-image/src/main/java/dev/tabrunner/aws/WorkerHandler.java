package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The worker function's entry point ({@code dev.tabrunner.aws.WorkerHandler::handleRequest}, run by the Lambda
 * runtime interface client in the container image). Each event is {@code {"taskId": "..."}} from an asynchronous
 * invoke. The worker claims the task with a conditional write, so a duplicate delivery finds it taken and returns
 * at once; it must let go of the task {@link WorkerRuntime#yieldMargin()} before this invocation's time limit, and
 * hands a long task on to a fresh invocation from its last checkpoint.
 *
 * <p>Everything expensive (clients, the worker, its Chromium) is built once per container, on the first
 * invocation, and reused while Lambda keeps the container warm.
 */
public final class WorkerHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static volatile WorkerRuntime containerRuntime;

    private final WorkerRuntime runtime;

    /** What the runtime interface client calls: the container's shared runtime, built from the environment. */
    public WorkerHandler() {
        this(containerRuntime());
    }

    public WorkerHandler(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    private static WorkerRuntime containerRuntime() {
        WorkerRuntime r = containerRuntime;
        if (r == null) {
            synchronized (WorkerHandler.class) {
                r = containerRuntime;
                if (r == null) {
                    r = WorkerRuntime.fromEnvironment(System.getenv());
                    containerRuntime = r;
                }
            }
        }
        return r;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.mapper().readTree(input);
        String taskId = event == null ? null : event.path("taskId").asText(null);
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
            // not retried: the same malformed event would fail the same way
            LOG.error("ignored an event without a valid taskId");
            write(output, Map.of("error", "invalid_event"));
            return;
        }
        Instant yieldBy = yieldBy(context);
        long start = System.nanoTime();
        runtime.executor().execute(taskId, yieldBy);
        String status = runtime.tasks().findForWorker(taskId).map(t -> t.status().nativeName()).orElse("unknown");
        LOG.info("task {} handled in {} ms; now {}", taskId, (System.nanoTime() - start) / 1_000_000, status);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", taskId);
        out.put("status", status);
        write(output, out);
    }

    /** The invocation's time limit less the margin; none when run outside Lambda. */
    Instant yieldBy(Context context) {
        if (context == null) {
            return null;
        }
        return runtime.clock().instant().plusMillis(context.getRemainingTimeInMillis())
                .minus(runtime.yieldMargin());
    }

    private static void write(OutputStream output, Map<String, ?> body) throws IOException {
        output.write(Json.mapper().writeValueAsBytes(body));
    }
}
