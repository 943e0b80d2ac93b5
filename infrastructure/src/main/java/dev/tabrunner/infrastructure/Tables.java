package dev.tabrunner.infrastructure;

import java.util.List;

import software.amazon.awscdk.services.dynamodb.ITable;

/**
 * The DynamoDB tables of one deployment, named {@code <tablePrefix><name>}; the functions rebuild the names from
 * {@code TABRUNNER_TABLE_PREFIX}, so the names here must match the adapters in {@code shared}.
 */
public record Tables(
        ITable sessions,
        ITable tasks,
        ITable files,
        ITable credentials,
        ITable apiKeys,
        ITable idempotency,
        ITable rateLimits,
        ITable live,
        ITable tenants,
        ITable webhooks) {

    public static final String SESSIONS = "sessions";
    public static final String TASKS = "tasks";
    public static final String FILES = "files";
    public static final String CREDENTIALS = "credentials";
    public static final String API_KEYS = "api-keys";
    public static final String IDEMPOTENCY = "idempotency";
    public static final String RATE_LIMITS = "rate-limits";
    public static final String LIVE = "live";
    public static final String TENANTS = "tenants";
    public static final String WEBHOOKS = "webhooks";

    /** Every table, in a stable order. */
    public List<ITable> all() {
        return List.of(sessions, tasks, files, credentials, apiKeys, idempotency, rateLimits, live, tenants,
                webhooks);
    }
}
