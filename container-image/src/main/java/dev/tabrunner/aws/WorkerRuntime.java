package dev.tabrunner.aws;

import dev.tabrunner.adapter.LanguageModelClients;
import dev.tabrunner.adapter.aws.AwsAdapters;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.port.TaskCompletions;
import dev.tabrunner.port.TaskExecutor;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.port.WorkerEnvironment;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.worker.TaskWorker;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What one worker container keeps between invocations: the SDK clients, the adapters and the worker with its warm
 * browser. Built once per container from the environment variables (see the README's "Running on AWS").
 *
 * @param yieldMargin how long before the invocation's time limit the worker must have checkpointed and handed the
 *                    task on ({@code TABRUNNER_YIELD_MARGIN_MS}, default 60 s: room for the checkpoint, the session
 *                    state upload and the re-dispatch even when S3 or DynamoDB are slow)
 */
public record WorkerRuntime(TaskExecutor executor, TaskStore tasks, Clock clock, Duration yieldMargin) {
    public static final Duration DEFAULT_YIELD_MARGIN = Duration.ofSeconds(60);

    /**
     * From the process environment, with real AWS clients. Chromium starts launching first, so that its launch
     * overlaps the clients' construction (the slowest part of the rest).
     */
    public static WorkerRuntime fromEnvironment(Map<String, String> env) {
        BrowserHost first = new BrowserHost(BrowserSettings.from(env)).launchInBackground();
        AwsSettings settings = AwsSettings.from(env);
        return create(AwsClients.create(settings, env), settings, env, first);
    }

    /** From given clients (tests and benchmarks pass DynamoDB Local and in-JVM substitutes of the others). */
    public static WorkerRuntime create(AwsClients clients, AwsSettings settings, Map<String, String> env) {
        return create(clients, settings, env, null);
    }

    /** @param first a host already launching the first browser, or null to start one with the worker */
    public static WorkerRuntime create(AwsClients clients, AwsSettings settings, Map<String, String> env,
                                BrowserHost first) {
        AwsAdapters aws = AwsAdapters.create(clients, settings);
        Clock clock = Clock.systemUTC();
        LanguageModelClients models = new LanguageModelClients(LanguageModelSettings.from(env), aws.vault());
        WorkerEnvironment environment = new WorkerEnvironment(aws.sessions(), aws.tasks(), aws.files(), aws.blobs(),
                aws.credentials(), aws.vault(), aws.liveView(), TaskCompletions.NONE, aws.dispatcher(), models, clock,
                env);
        String margin = env.get("TABRUNNER_YIELD_MARGIN_MS");
        Duration yieldMargin = margin == null || margin.isBlank() ? DEFAULT_YIELD_MARGIN
                : Duration.ofMillis(Long.parseLong(margin.trim()));
        return new WorkerRuntime(new TaskWorker(environment, first), aws.tasks(), clock, yieldMargin);
    }
}
