package dev.tabrunner.adapter.lambda;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.TaskDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import java.util.Map;

/**
 * Hands a task to the worker function with an asynchronous invoke ({@code Event}): Lambda queues the event,
 * retries a failed run twice, then sends the failure record to the function's on-failure destination (see
 * {@code DeadLetterHandler}). The payload is the task id alone; the worker reads everything else from the table.
 *
 * <p>Unlike the in-process dispatcher, Lambda does not serialise the tasks of one session: two tasks posted at once
 * on a session may run at the same time in two workers. The session row is updated with conditional writes, so
 * neither run corrupts it, but the later saved browser state wins.
 */
public final class LambdaTaskDispatcher implements TaskDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaTaskDispatcher.class);

    private final LambdaClient client;
    private final String functionName;

    public LambdaTaskDispatcher(LambdaClient client, String functionName) {
        if (functionName == null || functionName.isBlank()) {
            throw new IllegalArgumentException("the worker function name is missing");
        }
        this.client = client;
        this.functionName = functionName;
    }

    @Override
    public void dispatch(TaskRecord task) {
        byte[] payload;
        try {
            payload = Json.mapper().writeValueAsBytes(Map.of("taskId", task.id()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        InvokeResponse r;
        try {
            r = client.invoke(b -> b.functionName(functionName).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromByteArray(payload)));
        } catch (SdkException e) {
            LOG.warn("dispatching task {} to {} failed: {}", task.id(), functionName, e.getMessage());
            throw new StoreUnavailableException("could not hand task " + task.id() + " to a worker", e);
        }
        if (r.statusCode() == null || r.statusCode() != 202) {
            throw new StoreUnavailableException("the worker function did not accept task " + task.id()
                    + " (status " + r.statusCode() + ")", null);
        }
    }
}
