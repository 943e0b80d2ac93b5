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
    public static final String BY_TENANT = "byTenant";
    public static final String BY_SESSION = "bySession";
    /** Tasks by state, oldest first: the recovery sweep's view of running and waiting work. */
    public static final String BY_STATUS = "byStatus";
    /** Sessions not terminated, by tenant (a sparse index): what the per-tenant session limit counts. */
    public static final String ACTIVE_BY_TENANT = "activeByTenant";
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

    /** Creates every table that does not exist yet; existing tables are left as they are. */
    public void createMissing(DynamoDbClient client) {
        create(client, sessions(), "id", null, List.of(index(BY_TENANT, "tenantId", "createdAt"),
                index(ACTIVE_BY_TENANT, "activeTenantId", "createdAt")));
        create(client, idempotency(), "id", null, List.of());
        create(client, rateLimits(), "id", null, List.of());
        create(client, tasks(), "id", null, List.of(index(BY_TENANT, "tenantId", "createdAt"),
                index(BY_SESSION, "sessionId", "createdAt"), index(BY_STATUS, "status", "createdAt"),
                index(BY_DIALECT, "dialectTenant", "createdAt")));
        create(client, files(), "sessionId", "name", List.of());
        create(client, apiKeys(), "id", null, List.of());
        create(client, credentials(), "id", null, List.of(index(BY_TENANT, "tenantId", "createdAt")));
        if (create(client, live(), "id", null, List.of())) {
            client.updateTimeToLive(b -> b.tableName(live())
                    .timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true)));
        }
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

    private static void addMissingIndexes(DynamoDbClient client, String table, List<AttributeDefinition> attributes,
                                          List<GlobalSecondaryIndex> indexes) {
        TableDescription described = client.describeTable(b -> b.tableName(table)).table();
        List<String> present = described.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).toList();
        for (GlobalSecondaryIndex gsi : indexes) {
            if (present.contains(gsi.indexName())) {
                continue;
            }
            client.updateTable(b -> b.tableName(table).attributeDefinitions(attributes)
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(gsi.indexName())
                            .keySchema(gsi.keySchema()).projection(gsi.projection()))));
            client.waiter().waitUntilTableExists(b -> b.tableName(table));
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
