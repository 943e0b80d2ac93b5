package dev.tabrunner.adapter.aws;

import java.net.URI;
import java.util.Map;

/**
 * Where the AWS resources of a deployment are, read from the function's environment variables (set by the CDK
 * app). The endpoint overrides exist for tests and benchmarks against local services; on AWS they are unset.
 *
 * @param tablePrefix      {@code TABRUNNER_TABLE_PREFIX}, prefix of every table name
 * @param bucket           {@code TABRUNNER_BUCKET}, artifacts, uploads and session state
 * @param kmsKeyId         {@code TABRUNNER_KMS_KEY_ID}, key for S3 objects and secrets; null for the default key
 * @param secretPrefix     {@code TABRUNNER_SECRET_PREFIX}, prefix of the credential secrets' names
 * @param workerFunction   {@code TABRUNNER_WORKER_FUNCTION}, the worker to invoke; the worker itself falls back to
 *                         its own name ({@code AWS_LAMBDA_FUNCTION_NAME}) to hand tasks on
 * @param region           {@code AWS_REGION}, set by Lambda
 * @param dynamoDbEndpoint {@code TABRUNNER_DYNAMODB_ENDPOINT}
 * @param s3Endpoint       {@code TABRUNNER_S3_ENDPOINT}
 * @param lambdaEndpoint   {@code TABRUNNER_LAMBDA_ENDPOINT}
 * @param secretsEndpoint  {@code TABRUNNER_SECRETSMANAGER_ENDPOINT}
 * @param retentionDays    {@code TABRUNNER_RETENTION_DAYS}, how long rows of ended tasks and sessions are kept
 * @param webhookQueueUrl  {@code TABRUNNER_WEBHOOK_QUEUE_URL}, the queue webhook deliveries wait in; without it
 *                         task events are logged and no webhook is called
 * @param liveSocketEndpoint {@code TABRUNNER_LIVE_SOCKET_ENDPOINT}, the live view's WebSocket API management
 *                         endpoint (its stage's {@code https://} callback URL), where the worker posts frames
 * @param liveSocketUrl    {@code TABRUNNER_LIVE_SOCKET_URL}, the same API's public {@code wss://} URL that the API
 *                         hands to viewers; without either the live view's frames go through the {@code live}
 *                         table (docs/adr/0001-live-view-on-aws.md)
 */
public record AwsSettings(String tablePrefix, String bucket, String kmsKeyId, String secretPrefix,
                          String workerFunction, String region, URI dynamoDbEndpoint, URI s3Endpoint,
                          URI lambdaEndpoint, URI secretsEndpoint, int retentionDays, String webhookQueueUrl,
                          URI liveSocketEndpoint, String liveSocketUrl) {
    public static final String DEFAULT_TABLE_PREFIX = "tabrunner-";
    public static final String DEFAULT_SECRET_PREFIX = "tabrunner/";

    public static AwsSettings from(Map<String, String> env) {
        String worker = value(env, "TABRUNNER_WORKER_FUNCTION");
        return new AwsSettings(
                orDefault(value(env, "TABRUNNER_TABLE_PREFIX"), DEFAULT_TABLE_PREFIX),
                value(env, "TABRUNNER_BUCKET"),
                value(env, "TABRUNNER_KMS_KEY_ID"),
                orDefault(value(env, "TABRUNNER_SECRET_PREFIX"), DEFAULT_SECRET_PREFIX),
                worker != null ? worker : value(env, "AWS_LAMBDA_FUNCTION_NAME"),
                orDefault(value(env, "AWS_REGION"), value(env, "AWS_DEFAULT_REGION")),
                uri(env, "TABRUNNER_DYNAMODB_ENDPOINT"),
                uri(env, "TABRUNNER_S3_ENDPOINT"),
                uri(env, "TABRUNNER_LAMBDA_ENDPOINT"),
                uri(env, "TABRUNNER_SECRETSMANAGER_ENDPOINT"),
                retentionDays(env),
                value(env, "TABRUNNER_WEBHOOK_QUEUE_URL"),
                uri(env, "TABRUNNER_LIVE_SOCKET_ENDPOINT"),
                value(env, "TABRUNNER_LIVE_SOCKET_URL"));
    }

    /** {@code TABRUNNER_RETENTION_DAYS}: how long rows of ended tasks and sessions are kept (default 30). */
    public static int retentionDays(Map<String, String> env) {
        String v = value(env, "TABRUNNER_RETENTION_DAYS");
        if (v == null) {
            return dev.tabrunner.adapter.dynamodb.DynamoDbTables.DEFAULT_RETENTION_DAYS;
        }
        try {
            int days = Integer.parseInt(v);
            if (days < 1) {
                throw new NumberFormatException();
            }
            return days;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("TABRUNNER_RETENTION_DAYS must be a whole number of days, at least 1");
        }
    }

    /** Whether the live view's frames travel over the WebSocket API (ADR 0040) rather than the table. */
    public boolean liveSocket() {
        return liveSocketEndpoint != null || liveSocketUrl != null;
    }

    /** The value, or an error that names the missing variable (a deployment mistake, reported at start). */
    public static <T> T required(T value, String variable) {
        if (value == null) {
            throw new IllegalStateException(variable + " is not set");
        }
        return value;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }

    private static URI uri(Map<String, String> env, String name) {
        String v = value(env, name);
        if (v == null) {
            return null;
        }
        try {
            return URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not a URL: " + v);
        }
    }
}
