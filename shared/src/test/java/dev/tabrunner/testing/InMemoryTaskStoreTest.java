package dev.tabrunner.testing;

import dev.tabrunner.port.TaskStore;
import dev.tabrunner.testing.contract.TaskStoreContract;

/** The in-memory task store runs the same contract as the real adapters. */
class InMemoryTaskStoreTest extends TaskStoreContract {
    @Override
    protected TaskStore store() {
        return new InMemoryTaskStore();
    }
}
