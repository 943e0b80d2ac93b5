package dev.tabrunner.adapter.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.ArrayList;
import java.util.List;

/**
 * Table names and schemas. On AWS the CDK app creates the tables; locally and in tests
 * {@link #createMissing} creates the same schema in DynamoDB Local.
 */
public record DynamoDbTables(String prefix) {
    /** How long rows of ended tasks and sessions are kept by default ({@code TABRUNNER_RETENTION_DAYS}). */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** Sessions, credentials and tasks by tenant, newest first: the tenant-wide listings (the dashboard's). */
    public static final String BY_TENANT = "byTenant";
    public static final String BY_SESSION = "bySession";
    /**
     * Tasks by state, oldest first within each of the state's partitions ({@code statusShard} = state and a shard
     * number from the id): the recovery sweep's view of running and waiting work.
     */
    public static final String BY_STATUS = "byStatus";
    /**
     * Tasks created through a compatibility dialect, by dialect and tenant (a sparse index on {@code dialectTenant}):
     * what the browser-use v1 task list pages through and counts.
     */
    public static final String BY_DIALECT = "byDialect";

    public String sessions() {
        return prefix + "sessions";
    }

    public String tasks() {
        return prefix + "tasks";
    }

    public String files() {
        return prefix + "files";
    }

    public String credentials() {
        return prefix + "credentials";
    }

    public String apiKeys() {
        return prefix + "api-keys";
    }

    /** Per-tenant usage: the ids of each tenant's active sessions and unfinished tasks ({@code TenantUsage}). */
    public String tenants() {
        return prefix + "tenants";
    }

    public String idempotency() {
        return prefix + "idempotency";
    }

    public String rateLimits() {
        return prefix + "rate-limits";
    }

    /** Live-view channels and frames ({@link DynamoDbLiveView}); rows expire through the {@code ttl} attribute. */
    public String live() {
        return prefix + "live";
    }

    /** Webhook endpoints, keyed by tenant and id ({@link DynamoDbWebhookStore}). */
    public String webhooks() {
        return prefix + "webhooks";
    }

    /** Creates every table that does not exist yet; existing tables are left as they are. */
    public void createMissing(DynamoDbClient client) {
        if (create(client, sessions(), "id", null, List.of(keysOnly(BY_TENANT, "tenantId", "createdAt")))) {
            expireBy(client, sessions(), "ttl");
        }
        create(client, idempotency(), "id", null, List.of());
        create(client, rateLimits(), "id", null, List.of());
        create(client, tenants(), "tenantId", null, List.of());
        // indexes hold keys only (a listing reads its page's rows by key): a write pays for its row once, not once
        // per index; the session index keeps the tenant for its filter
        if (create(client, tasks(), "id", null, List.of(
                index(BY_SESSION, "sessionId", "createdAt", List.of("tenantId")),
                keysOnly(BY_STATUS, "statusShard", "createdAt"), keysOnly(BY_DIALECT, "dialectTenant", "createdAt"),
                keysOnly(BY_TENANT, "tenantId", "createdAt")))) {
            expireBy(client, tasks(), "ttl");
        }
        create(client, files(), "sessionId", "name", List.of());
        create(client, apiKeys(), "id", null, List.of());
        create(client, credentials(), "id", null, List.of(index(BY_TENANT, "tenantId", "createdAt")));
        create(client, webhooks(), "tenantId", "id", List.of());
        if (create(client, live(), "id", null, List.of())) {
            expireBy(client, live(), "ttl");
        }
    }

    private static void expireBy(DynamoDbClient client, String table, String attribute) {
        client.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true)));
    }

    private static GlobalSecondaryIndex keysOnly(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range, List<String> include) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                        .nonKeyAttributes(include).build())
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** @return true when the table was created now */
    private static boolean create(DynamoDbClient client, String table, String hash, String range,
                                  List<GlobalSecondaryIndex> indexes) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        attributes.add(attribute(hash));
        keys.add(key(hash, KeyType.HASH));
        if (range != null) {
            attributes.add(attribute(range));
            keys.add(key(range, KeyType.RANGE));
        }
        for (GlobalSecondaryIndex gsi : indexes) {
            for (KeySchemaElement k : gsi.keySchema()) {
                if (attributes.stream().noneMatch(a -> a.attributeName().equals(k.attributeName()))) {
                    attributes.add(attribute(k.attributeName()));
                }
            }
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST).attributeDefinitions(attributes).keySchema(keys);
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        try {
            client.createTable(request.build());
            client.waiter().waitUntilTableExists(b -> b.tableName(table));
            return true;
        } catch (ResourceInUseException alreadyThere) {
            // the table survives restarts of the local server; only indexes added since may be missing
            addMissingIndexes(client, table, attributes, indexes);
            return false;
        }
    }

    /**
     * Brings an existing table's indexes to the schema: adds the missing ones, and replaces one whose keys or
     * projection changed (an index can only be dropped and built again). Indexes the schema no longer has are
     * dropped. Rows written before a key attribute existed are not in the new index until written again.
     */
    private static void addMissingIndexes(DynamoDbClient client, String table, List<AttributeDefinition> attributes,
                                          List<GlobalSecondaryIndex> indexes) {
        TableDescription described = client.describeTable(b -> b.tableName(table)).table();
        java.util.Map<String, GlobalSecondaryIndexDescription> present = new java.util.HashMap<>();
        described.globalSecondaryIndexes().forEach(d -> present.put(d.indexName(), d));
        List<String> wanted = indexes.stream().map(GlobalSecondaryIndex::indexName).toList();
        for (GlobalSecondaryIndexDescription old : present.values()) {
            if (!wanted.contains(old.indexName())) {
                dropIndex(client, table, old.indexName());
            }
        }
        for (GlobalSecondaryIndex gsi : indexes) {
            GlobalSecondaryIndexDescription old = present.get(gsi.indexName());
            if (old != null && old.keySchema().equals(gsi.keySchema())
                    && old.projection().projectionType() == gsi.projection().projectionType()) {
                continue;
            }
            if (old != null) {
                dropIndex(client, table, gsi.indexName());
            }
            client.updateTable(b -> b.tableName(table).attributeDefinitions(attributes)
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(gsi.indexName())
                            .keySchema(gsi.keySchema()).projection(gsi.projection()))));
            client.waiter().waitUntilTableExists(b -> b.tableName(table));
        }
    }

    private static void dropIndex(DynamoDbClient client, String table, String index) {
        client.updateTable(b -> b.tableName(table).globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName(index))));
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
