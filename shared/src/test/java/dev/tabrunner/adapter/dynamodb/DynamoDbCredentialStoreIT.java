package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.CredentialStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.contract.CredentialStoreContract;

/** The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store. */
class DynamoDbCredentialStoreIT extends CredentialStoreContract {
    @Override
    protected CredentialStore store() {
        return new DynamoDbCredentialStore(DynamoDbLocalFixture.client(),
                DynamoDbLocalFixture.TABLES.credentials());
    }
}
