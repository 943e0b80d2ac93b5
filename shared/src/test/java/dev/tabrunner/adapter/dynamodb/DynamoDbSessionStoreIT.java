package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.SessionStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.contract.SessionStoreContract;

/** The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store. */
class DynamoDbSessionStoreIT extends SessionStoreContract {
    @Override
    protected SessionStore store() {
        return new DynamoDbSessionStore(DynamoDbLocalFixture.client(), DynamoDbLocalFixture.TABLES);
    }
}
