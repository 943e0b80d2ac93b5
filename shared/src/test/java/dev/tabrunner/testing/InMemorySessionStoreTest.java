package dev.tabrunner.testing;

import dev.tabrunner.port.SessionStore;
import dev.tabrunner.testing.contract.SessionStoreContract;

/** The in-memory session store runs the same contract as the real adapters. */
class InMemorySessionStoreTest extends SessionStoreContract {
    @Override
    protected SessionStore store() {
        return new InMemorySessionStore();
    }
}
