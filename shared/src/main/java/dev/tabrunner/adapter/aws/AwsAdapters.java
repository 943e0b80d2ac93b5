package dev.tabrunner.adapter.aws;

import dev.tabrunner.adapter.apigateway.ApiGatewayLiveView;
import dev.tabrunner.adapter.dynamodb.DynamoDbApiKeyStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbCredentialStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbFileStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbIdempotencyStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbLiveView;
import dev.tabrunner.adapter.dynamodb.DynamoDbSessionStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.adapter.dynamodb.DynamoDbTaskStore;
import dev.tabrunner.adapter.lambda.LambdaTaskDispatcher;
import dev.tabrunner.adapter.s3.S3BlobStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbWebhookStore;
import dev.tabrunner.adapter.secretsmanager.SecretsManagerCredentialVault;
import dev.tabrunner.adapter.sqs.SqsWebhookOutbox;
import dev.tabrunner.events.ObservedTaskStore;
import dev.tabrunner.events.TaskEventListener;
import dev.tabrunner.events.TaskEventLog;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.webhook.WebhookPublisher;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every port's AWS adapter, built from the process's clients: the composition shared by the API functions and the
 * worker, so that both read the same tables, bucket and secrets the same way. The task store is observed
 * ({@link ObservedTaskStore}): every process that writes tasks logs their transitions and, with a webhook queue,
 * queues the tenant's webhook deliveries.
 *
 * @param liveView      {@link ApiGatewayLiveView} when the deployment has the live view's WebSocket API (its
 *                      management endpoint or public URL is set), else {@link DynamoDbLiveView}
 * @param webhookOutbox the webhook queue, or null when the deployment has none
 */
public record AwsAdapters(DynamoDbTables tables, DynamoDbSessionStore sessions, TaskStore tasks,
                          DynamoDbFileStore files, DynamoDbApiKeyStore apiKeys, DynamoDbCredentialStore credentials,
                          S3BlobStore blobs, SecretsManagerCredentialVault vault, LiveView liveView,
                          LambdaTaskDispatcher dispatcher, DynamoDbIdempotencyStore idempotency,
                          DynamoDbWebhookStore webhooks, SqsWebhookOutbox webhookOutbox) {
    /** Deleted credentials stay recoverable for this many days. */
    public static final int SECRET_RECOVERY_DAYS = 7;

    public static AwsAdapters create(AwsClients clients, AwsSettings settings) {
        DynamoDbTables tables = new DynamoDbTables(settings.tablePrefix());
        S3BlobStore blobs = new S3BlobStore(clients.s3(), clients.presigner(),
                AwsSettings.required(settings.bucket(), "TABRUNNER_BUCKET"), settings.kmsKeyId());
        Clock clock = Clock.systemUTC();
        DynamoDbWebhookStore webhooks = new DynamoDbWebhookStore(clients.dynamoDb(), tables.webhooks());
        SqsWebhookOutbox outbox = settings.webhookQueueUrl() == null || clients.sqs() == null ? null
                : new SqsWebhookOutbox(clients.sqs(), settings.webhookQueueUrl(), clock);
        List<TaskEventListener> listeners = new ArrayList<>(List.of(new TaskEventLog()));
        if (outbox != null) {
            listeners.add(new WebhookPublisher(webhooks, outbox));
        }
        TaskStore tasks = new ObservedTaskStore(new DynamoDbTaskStore(clients.dynamoDb(), tables, blobs,
                Duration.ofDays(settings.retentionDays())), listeners, clock);
        return new AwsAdapters(tables,
                new DynamoDbSessionStore(clients.dynamoDb(), tables, Duration.ofDays(settings.retentionDays())),
                tasks,
                new DynamoDbFileStore(clients.dynamoDb(), tables.files()),
                new DynamoDbApiKeyStore(clients.dynamoDb(), tables.apiKeys()),
                new DynamoDbCredentialStore(clients.dynamoDb(), tables.credentials()),
                blobs,
                new SecretsManagerCredentialVault(clients.secretsManager(), settings.secretPrefix(),
                        settings.kmsKeyId(), SECRET_RECOVERY_DAYS),
                settings.liveSocket()
                        ? new ApiGatewayLiveView(clients.dynamoDb(), tables.live(), clients.liveSocket(),
                                settings.liveSocketUrl(), clock)
                        : new DynamoDbLiveView(clients.dynamoDb(), tables.live()),
                new LambdaTaskDispatcher(clients.lambda(),
                        AwsSettings.required(settings.workerFunction(), "TABRUNNER_WORKER_FUNCTION")),
                new DynamoDbIdempotencyStore(clients.dynamoDb(), tables.idempotency(), blobs),
                webhooks, outbox);
    }
}
