package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.port.WebhookStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.contract.WebhookStoreContract;

/** The DynamoDB adapter against DynamoDB Local runs the same contract as the in-memory store. */
class DynamoDbWebhookStoreIT extends WebhookStoreContract {
    @Override
    protected WebhookStore store() {
        return new DynamoDbWebhookStore(DynamoDbLocalFixture.client(), DynamoDbLocalFixture.TABLES.webhooks());
    }
}
