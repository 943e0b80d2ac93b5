package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tabrunner.adapter.aws.AwsAdapters;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.service.TaskRecovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs the recovery sweep on a schedule (EventBridge, every minute): running tasks whose worker stopped renewing its
 * lease, and tasks whose dispatch was lost, are dispatched to the worker again, which resumes them from their
 * checkpoint or fails them when their attempts are spent. Every change the sweep causes is a conditional write, so
 * two sweeps that overlap do no harm.
 */
public final class RecoveryHandler implements RequestStreamHandler {
    /** A created task that waited this long without a worker taking it lost its dispatch. */
    static final Duration WAITING_TOO_LONG = Duration.ofMinutes(2);

    private final TaskRecovery recovery;

    public RecoveryHandler() {
        this(defaultRecovery());
    }

    public RecoveryHandler(TaskRecovery recovery) {
        this.recovery = recovery;
    }

    private static TaskRecovery defaultRecovery() {
        AwsSettings settings = AwsSettings.from(System.getenv());
        AwsAdapters aws = AwsAdapters.create(AwsClients.create(settings, System.getenv()), settings);
        return new TaskRecovery(aws.tasks(), aws.dispatcher(), Clock.systemUTC(), WAITING_TOO_LONG);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        int dispatched = recovery.sweep();
        output.write(("{\"dispatched\":" + dispatched + "}").getBytes(StandardCharsets.UTF_8));
    }
}
