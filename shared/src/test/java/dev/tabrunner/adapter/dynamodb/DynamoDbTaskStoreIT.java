package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.TaskStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.InMemoryBlobStore;
import dev.tabrunner.testing.contract.TaskStoreContract;

/** The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store. */
class DynamoDbTaskStoreIT extends TaskStoreContract {
    @Override
    protected TaskStore store() {
        // parts that do not fit a row go to the blob store
        return new DynamoDbTaskStore(DynamoDbLocalFixture.client(), DynamoDbLocalFixture.TABLES,
                new InMemoryBlobStore());
    }
}
