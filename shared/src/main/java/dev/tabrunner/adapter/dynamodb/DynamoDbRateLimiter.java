package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.RateLimiter;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * A fixed one-second window per tenant shared by every API function instance: one conditional atomic counter per
 * tenant and second ({@code <tenant>#<epoch second>}), removed by the table's TTL.
 */
public final class DynamoDbRateLimiter implements RateLimiter {
    private final DynamoDbClient client;
    private final String table;
    private final int perSecond;

    public DynamoDbRateLimiter(DynamoDbClient client, String table, int perSecond) {
        this.client = client;
        this.table = table;
        this.perSecond = perSecond;
    }

    @Override
    public Optional<Duration> acquire(String tenantId, Instant now) {
        long second = now.getEpochSecond();
        try {
            client.updateItem(b -> b.tableName(table).key(Map.of("id", s(tenantId + "#" + second)))
                    .updateExpression("ADD #c :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#c) OR #c < :limit")
                    .expressionAttributeNames(Map.of("#c", "count", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(perSecond),
                            ":ttl", n(second + 120))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.of(Duration.ofSeconds(second + 1).minus(Duration.ofSeconds(now.getEpochSecond(),
                    now.getNano())));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not count requests", e);
        }
    }
}
