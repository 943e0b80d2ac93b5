package dev.tabrunner.testing;

import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.testing.contract.ApiKeyStoreContract;

/** The in-memory API key store runs the same contract as the real adapters. */
class InMemoryApiKeyStoreTest extends ApiKeyStoreContract {
    @Override
    protected ApiKeyStore store() {
        return new InMemoryApiKeyStore();
    }
}
