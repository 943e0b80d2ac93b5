package dev.tabrunner.adapter.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One SDK client per AWS service for the whole process, built once and shared by every adapter (clients are
 * thread-safe and hold the connection pools).
 *
 * <p>All use the Apache HTTP client, which the DynamoDB adapter already relies on: the API functions start from a
 * SnapStart snapshot taken after priming, so the URL-connection client's faster first start would buy nothing
 * there, while the Apache client's pooled keep-alive connections make every warm request cheaper; the worker
 * starts Chromium on a cold start, which dwarfs the client's start-up either way, and one HTTP client
 * implementation keeps the artifacts smaller.
 */
public record AwsClients(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner, LambdaClient lambda,
                         SecretsManagerClient secretsManager, SqsClient sqs, ApiGatewayManagementApiClient liveSocket)
        implements AutoCloseable {

    /** Clients of a process that queues no webhook deliveries ({@code sqs} is null) and posts no frames. */
    public AwsClients(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner, LambdaClient lambda,
                      SecretsManagerClient secretsManager) {
        this(dynamoDb, s3, presigner, lambda, secretsManager, null, null);
    }

    /** Clients of a process that posts no live view frames ({@code liveSocket} is null). */
    public AwsClients(DynamoDbClient dynamoDb, S3Client s3, S3Presigner presigner, LambdaClient lambda,
                      SecretsManagerClient secretsManager, SqsClient sqs) {
        this(dynamoDb, s3, presigner, lambda, secretsManager, sqs, null);
    }

    /**
     * Real clients for the settings' region, with the endpoint overrides the settings carry. DynamoDB's is built now
     * (every request and every task needs it); the others on their first use ({@link LazyClient}), so that a cold
     * start builds only what its first request or task calls.
     */
    public static AwsClients create(AwsSettings settings, Map<String, String> env) {
        Region region = region(settings);
        AwsCredentialsProvider credentials = credentials(env);
        DynamoDbClient dynamoDb = dynamoDb(settings, env);
        S3Configuration s3Config = S3Configuration.builder()
                .pathStyleAccessEnabled(settings.s3Endpoint() != null).build();
        S3Client s3 = LazyClient.of(S3Client.class, () -> configure(S3Client.builder(), region, credentials,
                settings.s3Endpoint()).serviceConfiguration(s3Config).build());
        S3Presigner presigner = LazyClient.of(S3Presigner.class, () -> {
            S3Presigner.Builder b = S3Presigner.builder().region(region).credentialsProvider(credentials)
                    .serviceConfiguration(s3Config);
            if (settings.s3Endpoint() != null) {
                b.endpointOverride(settings.s3Endpoint());
            }
            return b.build();
        });
        LambdaClient lambda = LazyClient.of(LambdaClient.class, () -> configure(LambdaClient.builder(), region,
                credentials, settings.lambdaEndpoint()).build());
        SecretsManagerClient secrets = LazyClient.of(SecretsManagerClient.class, () -> configure(
                SecretsManagerClient.builder(), region, credentials, settings.secretsEndpoint()).build());
        // only a deployment with webhooks has the queue: no client (and no permission) without it
        SqsClient sqs = settings.webhookQueueUrl() == null ? null : LazyClient.of(SqsClient.class,
                () -> configure(SqsClient.builder(), region, credentials, null).build());
        // only the worker posts live view frames: the management endpoint is set on it alone
        ApiGatewayManagementApiClient liveSocket = settings.liveSocketEndpoint() == null ? null
                : LazyClient.of(ApiGatewayManagementApiClient.class, () -> configure(
                        ApiGatewayManagementApiClient.builder(), region, credentials,
                        settings.liveSocketEndpoint()).build());
        return new AwsClients(dynamoDb, s3, presigner, lambda, secrets, sqs, liveSocket);
    }

    /** Builds every client not built yet (before a SnapStart snapshot, which should hold them all). */
    public void buildAll() {
        for (Object client : new Object[]{dynamoDb, s3, presigner, lambda, secretsManager, sqs, liveSocket}) {
            if (client != null) {
                LazyClient.build(client);
            }
        }
    }

    /** The DynamoDB client alone, for functions that need no other service (the dead-letter handler). */
    public static DynamoDbClient dynamoDb(AwsSettings settings, Map<String, String> env) {
        return configure(DynamoDbClient.builder(), region(settings), credentials(env), settings.dynamoDbEndpoint())
                .build();
    }

    private static Region region(AwsSettings settings) {
        return Region.of(AwsSettings.required(settings.region(), "AWS_REGION"));
    }

    /** Lambda puts the role's credentials in the environment; reading them directly skips probing the chain. */
    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        return env.containsKey("AWS_ACCESS_KEY_ID")
                ? EnvironmentVariableCredentialsProvider.create() : DefaultCredentialsProvider.builder().build();
    }

    private static <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder
            .AwsSyncClientBuilder<B, ?>> B configure(B builder, Region region, AwsCredentialsProvider credentials,
                                                     URI endpoint) {
        builder.region(region).credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(30)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    @Override
    public void close() {
        dynamoDb.close();
        s3.close();
        presigner.close();
        lambda.close();
        secretsManager.close();
        if (sqs != null) {
            sqs.close();
        }
        if (liveSocket != null) {
            liveSocket.close();
        }
    }
}
