package dev.tabrunner.testing;

import dev.tabrunner.port.WebhookStore;
import dev.tabrunner.testing.contract.WebhookStoreContract;

/** The in-memory webhook store runs the same contract as the DynamoDB adapter. */
class InMemoryWebhookStoreTest extends WebhookStoreContract {
    @Override
    protected WebhookStore store() {
        return new InMemoryWebhookStore();
    }
}
