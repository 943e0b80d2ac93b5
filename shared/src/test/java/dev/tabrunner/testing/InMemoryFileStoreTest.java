package dev.tabrunner.testing;

import dev.tabrunner.port.FileStore;
import dev.tabrunner.testing.contract.FileStoreContract;

/** The in-memory file store runs the same contract as the real adapters. */
class InMemoryFileStoreTest extends FileStoreContract {
    @Override
    protected FileStore store() {
        return new InMemoryFileStore();
    }
}
