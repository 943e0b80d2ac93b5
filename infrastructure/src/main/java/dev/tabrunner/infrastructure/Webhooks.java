package dev.tabrunner.infrastructure;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Webhook deliveries on AWS: every function that writes tasks queues one message per delivery when a task changes
 * state (the observed task store), and the webhook function sends each through the egress guard, queueing the next
 * attempt with its backoff when the receiver does not take it (24 hours at most).
 */
final class Webhooks extends Construct {
    static final String HANDLER = "dev.tabrunner.aws.WebhookHandler::handleRequest";
    static final String QUEUE_URL = "TABRUNNER_WEBHOOK_QUEUE_URL";
    /** Ten deliveries a batch, each bounded at 10 s by the sender: room for a batch of slow receivers. */
    private static final Duration TIMEOUT = Duration.minutes(3);
    private static final int MEMORY_MB = 512;

    private final Queue queue;
    private final Tables tables;

    /**
     * @param environment the functions' common environment; the function adds the queue and the egress list
     */
    Webhooks(Construct scope, String id, DeploymentConfig config, Code apiCode, Map<String, String> environment,
             Tables tables, IKey key, ILogGroup logs) {
        super(scope, id);
        this.tables = tables;
        Queue unprocessable = Queue.Builder.create(this, "DeliveriesUnprocessable")
                .encryption(QueueEncryption.SQS_MANAGED)
                .retentionPeriod(Duration.days(14))
                .build();
        // A message is done when the function returns (a failed attempt queues the next one itself), so a message
        // comes back only when the function failed outright; five such returns park it.
        queue = Queue.Builder.create(this, "Deliveries")
                .encryption(QueueEncryption.SQS_MANAGED)
                .visibilityTimeout(TIMEOUT.plus(Duration.minutes(1)))
                .retentionPeriod(Duration.days(2))
                .deadLetterQueue(DeadLetterQueue.builder().queue(unprocessable).maxReceiveCount(5).build())
                .build();

        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("TABRUNNER_FUNCTION", "webhooks");
        env.put(QUEUE_URL, queue.getQueueUrl());
        // the endpoints get the browser's egress rules: internal addresses refused unless listed
        env.put("TABRUNNER_EGRESS_ALLOW", config.egressAllow());
        Function function = Function.Builder.create(this, "Function")
                .functionName(config.functionPrefix() + "webhooks")
                .description("Tabrunner: delivers task events to the tenants' webhooks")
                .runtime(Runtime.JAVA_21)
                .architecture(config.architecture())
                .code(apiCode)
                .handler(HANDLER)
                .memorySize(MEMORY_MB)
                .timeout(TIMEOUT)
                .logGroup(logs)
                .environment(env)
                .build();
        function.addEventSource(SqsEventSource.Builder.create(queue).batchSize(10).build());
        // the next attempt goes back into the queue
        queue.grantSendMessages(function);
        tables.webhooks().grantReadData(function);
        Permissions.grantSecrets(software.amazon.awscdk.Stack.of(this), function, Permissions.SECRET_READ_ACTIONS,
                config.secretPrefix() + "*/webhook-*");
        key.grantDecrypt(function);
    }

    String queueUrl() {
        return queue.getQueueUrl();
    }

    Queue queue() {
        return queue;
    }

    /** The functions that write tasks: they read the tenant's endpoints and queue deliveries. */
    void publishers(IGrantable... writers) {
        for (IGrantable writer : writers) {
            queue.grantSendMessages(writer);
            tables.webhooks().grantReadData(writer);
        }
    }
}
