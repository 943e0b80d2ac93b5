package dev.tabrunner.testing;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-JVM substitute of the Lambda client: accepts asynchronous invokes of one function the way Lambda does
 * (202, nothing run) and records them, so that a test can play the worker's part with the recorded payloads.
 */
public final class RecordingLambda implements LambdaClient {
    public final List<InvokeRequest> invocations = new CopyOnWriteArrayList<>();
    private final String functionName;
    private volatile boolean failing;

    public RecordingLambda(String functionName) {
        this.functionName = functionName;
    }

    public void failing(boolean value) {
        this.failing = value;
    }

    /** The payloads received, as UTF-8 text, oldest first. */
    public List<String> payloads() {
        return invocations.stream().map(r -> r.payload().asUtf8String()).toList();
    }

    @Override
    public InvokeResponse invoke(InvokeRequest r) {
        if (failing) {
            throw SdkClientException.create("Unable to execute HTTP request: connection refused");
        }
        if (!functionName.equals(r.functionName())) {
            throw ResourceNotFoundException.builder().message("Function not found: " + r.functionName())
                    .statusCode(404).build();
        }
        invocations.add(r);
        int status = r.invocationType() == InvocationType.EVENT ? 202 : 200;
        return InvokeResponse.builder().statusCode(status).build();
    }

    @Override
    public String serviceName() {
        return "lambda";
    }

    @Override
    public void close() {
    }
}
