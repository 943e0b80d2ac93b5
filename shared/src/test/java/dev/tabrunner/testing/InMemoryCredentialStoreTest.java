package dev.tabrunner.testing;

import dev.tabrunner.port.CredentialStore;
import dev.tabrunner.testing.contract.CredentialStoreContract;

/** The in-memory credential store runs the same contract as the real adapters. */
class InMemoryCredentialStoreTest extends CredentialStoreContract {
    @Override
    protected CredentialStore store() {
        return new InMemoryCredentialStore();
    }
}
