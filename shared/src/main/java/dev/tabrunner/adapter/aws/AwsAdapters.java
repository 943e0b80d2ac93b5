package dev.tabrunner.adapter.aws;

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
import dev.tabrunner.adapter.secretsmanager.SecretsManagerCredentialVault;

import java.time.Duration;

/**
 * Every port's AWS adapter, built from the process's clients: the composition shared by the API functions and the
 * worker, so that both read the same tables, bucket and secrets the same way.
 */
public record AwsAdapters(DynamoDbTables tables, DynamoDbSessionStore sessions, DynamoDbTaskStore tasks,
                          DynamoDbFileStore files, DynamoDbApiKeyStore apiKeys, DynamoDbCredentialStore credentials,
                          S3BlobStore blobs, SecretsManagerCredentialVault vault, DynamoDbLiveView liveView,
                          LambdaTaskDispatcher dispatcher, DynamoDbIdempotencyStore idempotency) {
    /** Deleted credentials stay recoverable for this many days. */
    public static final int SECRET_RECOVERY_DAYS = 7;

    public static AwsAdapters create(AwsClients clients, AwsSettings settings) {
        DynamoDbTables tables = new DynamoDbTables(settings.tablePrefix());
        S3BlobStore blobs = new S3BlobStore(clients.s3(), clients.presigner(),
                AwsSettings.required(settings.bucket(), "TABRUNNER_BUCKET"), settings.kmsKeyId());
        return new AwsAdapters(tables,
                new DynamoDbSessionStore(clients.dynamoDb(), tables, Duration.ofDays(settings.retentionDays())),
                new DynamoDbTaskStore(clients.dynamoDb(), tables, blobs, Duration.ofDays(settings.retentionDays())),
                new DynamoDbFileStore(clients.dynamoDb(), tables.files()),
                new DynamoDbApiKeyStore(clients.dynamoDb(), tables.apiKeys()),
                new DynamoDbCredentialStore(clients.dynamoDb(), tables.credentials()),
                blobs,
                new SecretsManagerCredentialVault(clients.secretsManager(), settings.secretPrefix(),
                        settings.kmsKeyId(), SECRET_RECOVERY_DAYS),
                new DynamoDbLiveView(clients.dynamoDb(), tables.live()),
                new LambdaTaskDispatcher(clients.lambda(),
                        AwsSettings.required(settings.workerFunction(), "TABRUNNER_WORKER_FUNCTION")),
                new DynamoDbIdempotencyStore(clients.dynamoDb(), tables.idempotency(), blobs));
    }
}
