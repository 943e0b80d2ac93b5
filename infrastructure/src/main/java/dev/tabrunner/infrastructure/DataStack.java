package dev.tabrunner.infrastructure;

import java.util.List;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * What outlives every deployment of the code: the customer-managed key, the tables and the artifacts bucket.
 * Kept apart from {@link ApiStack} so that replacing or deleting the API never puts data at risk.
 */
public final class DataStack extends Stack {

    /** Key attribute names as the DynamoDB adapters in {@code shared} write them. */
    private static final String ID = "id";
    private static final String TENANT_ID = "tenantId";
    private static final String CREATED_AT = "createdAt";
    private static final String SESSION_ID = "sessionId";
    private static final String NAME = "name";
    /** The task's status and a shard number from its id: one status alone would be one hot partition. */
    private static final String STATUS_SHARD = "statusShard";
    /** Epoch seconds; DynamoDB deletes an item some time after it passes. Items without it never expire. */
    static final String TTL_ATTRIBUTE = "ttl";
    static final String BY_TENANT = "byTenant";
    static final String BY_SESSION = "bySession";
    static final String BY_STATUS = "byStatus";
    static final String BY_DIALECT = "byDialect";
    /** Set only on tasks created through a compatibility dialect ({@code <dialect>#<tenantId>}): a sparse index. */
    private static final String DIALECT_TENANT = "dialectTenant";
    static final String ARTIFACTS_PREFIX = "tasks/";
    /**
     * Idempotent responses too large for a DynamoDB item. The API keeps idempotency keys 24 hours; the second day
     * covers most of the lag before DynamoDB's TTL removes the items that point here.
     */
    static final String IDEMPOTENCY_PREFIX = "idempotency/";
    private static final int IDEMPOTENCY_RETENTION_DAYS = 2;
    /**
     * Screenshots of browsing-dialect tasks (seed 003): the dialect promises they are deleted 5 days after the task
     * ends, whatever {@code artifactRetentionDays} says. S3 counts from the object's creation (rounded up to the next
     * midnight UTC), which for a task of at most 3 hours is its end; the API answers 404 past the 5 days itself.
     */
    static final String BROWSING_PREFIX = "browsing/";
    static final int BROWSING_RETENTION_DAYS = 5;

    /**
     * @param stack  the stack's environment, description and so on
     * @param config the deployment's settings
     */
    public record Props(StackProps stack, DeploymentConfig config) {
    }

    private final Key key;
    private final Tables tables;
    private final Bucket bucket;

    public DataStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        DeploymentConfig config = props.config();

        // One key for tables, bucket and vault secrets: a single key policy to audit, ~1 USD a month at idle.
        key = Key.Builder.create(this, "Key")
                .description("Tabrunner: tables, artifacts and vault credentials")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        // Indexes of sessions and tasks project keys only: a listing reads its page's rows by key, and a write pays
        // for its row once instead of once per index (tasks are rewritten at every checkpoint).
        Table sessions = table(config, Tables.SESSIONS, ID, null, RemovalPolicy.RETAIN);
        index(sessions, BY_TENANT, TENANT_ID, ProjectionType.KEYS_ONLY, List.of());

        Table tasks = table(config, Tables.TASKS, ID, null, RemovalPolicy.RETAIN);
        // keeps the tenant, which the listing filters on
        index(tasks, BY_SESSION, SESSION_ID, ProjectionType.INCLUDE, List.of(TENANT_ID));
        // The recovery sweep lists CREATED and RUNNING tasks here, shard by shard, instead of scanning the table.
        index(tasks, BY_STATUS, STATUS_SHARD, ProjectionType.KEYS_ONLY, List.of());
        // The browser-use v1 task list pages through and counts a tenant's v1 tasks here.
        index(tasks, BY_DIALECT, DIALECT_TENANT, ProjectionType.KEYS_ONLY, List.of());
        // The tenant's tasks of every dialect, newest first: GET /browser/tasks and the dashboard.
        index(tasks, BY_TENANT, TENANT_ID, ProjectionType.KEYS_ONLY, List.of());

        // Per tenant, the ids of its active sessions and unfinished tasks: the limits are conditions on these sets,
        // written in the same transaction as the session or task (no count query per request).
        Table tenants = table(config, Tables.TENANTS, TENANT_ID, null, RemovalPolicy.RETAIN);

        Table files = table(config, Tables.FILES, SESSION_ID, NAME, RemovalPolicy.RETAIN);

        Table credentials = table(config, Tables.CREDENTIALS, ID, null, RemovalPolicy.RETAIN);
        byTenant(credentials);

        Table apiKeys = table(config, Tables.API_KEYS, ID, null, RemovalPolicy.RETAIN);

        // A tenant's webhook endpoints, read by tenant at every task event (their secrets are in the vault).
        Table webhooks = table(config, Tables.WEBHOOKS, TENANT_ID, ID, RemovalPolicy.RETAIN);

        // Short-lived rows only (replayed responses, counters, live-view frames): nothing to keep after a teardown.
        Table idempotency = table(config, Tables.IDEMPOTENCY, ID, null, RemovalPolicy.DESTROY);
        Table rateLimits = table(config, Tables.RATE_LIMITS, ID, null, RemovalPolicy.DESTROY);
        Table live = table(config, Tables.LIVE, ID, null, RemovalPolicy.DESTROY);

        tables = new Tables(sessions, tasks, files, credentials, apiKeys, idempotency, rateLimits, live, tenants,
                webhooks);

        bucket = Bucket.Builder.create(this, "Artifacts")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                // One data key per bucket instead of one KMS call per object: fewer KMS requests to pay for.
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("expire-task-artifacts")
                                .prefix(ARTIFACTS_PREFIX)
                                .expiration(Duration.days(config.artifactRetentionDays()))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-idempotent-responses")
                                .prefix(IDEMPOTENCY_PREFIX)
                                .expiration(Duration.days(IDEMPOTENCY_RETENTION_DAYS))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-browsing-screenshots")
                                .prefix(BROWSING_PREFIX)
                                .expiration(Duration.days(BROWSING_RETENTION_DAYS))
                                .build(),
                        LifecycleRule.builder()
                                .id("abort-incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                .build()))
                .build();

        CfnOutput.Builder.create(this, "BucketName").value(bucket.getBucketName()).build();
        CfnOutput.Builder.create(this, "KeyArn").value(key.getKeyArn()).build();
    }

    public Key key() {
        return key;
    }

    public Tables tables() {
        return tables;
    }

    public Bucket bucket() {
        return bucket;
    }

    private Table table(DeploymentConfig config, String name, String partitionKey, String sortKey,
                        RemovalPolicy removalPolicy) {
        Table.Builder builder = Table.Builder.create(this, logicalName(name))
                .tableName(config.tablePrefix() + name)
                .partitionKey(stringKey(partitionKey))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .removalPolicy(removalPolicy);
        if (sortKey != null) {
            builder.sortKey(stringKey(sortKey));
        }
        return builder.build();
    }

    private static void byTenant(Table table) {
        index(table, BY_TENANT, TENANT_ID, ProjectionType.ALL, List.of());
    }

    /** A GSI on {@code partitionKey} + {@code createdAt}. */
    private static void index(Table table, String name, String partitionKey, ProjectionType projection,
                              List<String> include) {
        GlobalSecondaryIndexProps.Builder index = GlobalSecondaryIndexProps.builder()
                .indexName(name)
                .partitionKey(stringKey(partitionKey))
                .sortKey(stringKey(CREATED_AT))
                .projectionType(projection);
        if (!include.isEmpty()) {
            index.nonKeyAttributes(include);
        }
        table.addGlobalSecondaryIndex(index.build());
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    /** {@code rate-limits} becomes {@code RateLimitsTable}: readable construct ids, stable logical ids. */
    private static String logicalName(String tableName) {
        StringBuilder id = new StringBuilder();
        for (String part : tableName.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.append("Table").toString();
    }
}
