package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.contract.ApiKeyStoreContract;

/** The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store. */
class DynamoDbApiKeyStoreIT extends ApiKeyStoreContract {
    @Override
    protected ApiKeyStore store() {
        return new DynamoDbApiKeyStore(DynamoDbLocalFixture.client(), DynamoDbLocalFixture.TABLES.apiKeys());
    }
}
