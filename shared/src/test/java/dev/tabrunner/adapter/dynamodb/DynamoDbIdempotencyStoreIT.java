package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.IdempotencyStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.InMemoryBlobStore;
import dev.tabrunner.testing.contract.IdempotencyStoreContract;

/**
 * The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store; responses too large
 * for an item go to a blob store, here an in-memory one.
 */
class DynamoDbIdempotencyStoreIT extends IdempotencyStoreContract {
    @Override
    protected IdempotencyStore store() {
        return new DynamoDbIdempotencyStore(DynamoDbLocalFixture.client(), DynamoDbLocalFixture.TABLES.idempotency(),
                new InMemoryBlobStore());
    }
}
