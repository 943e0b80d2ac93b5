package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.FileStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.contract.FileStoreContract;

/** The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store. */
class DynamoDbFileStoreIT extends FileStoreContract {
    @Override
    protected FileStore store() {
        return new DynamoDbFileStore(DynamoDbLocalFixture.client(), DynamoDbLocalFixture.TABLES.files());
    }
}
