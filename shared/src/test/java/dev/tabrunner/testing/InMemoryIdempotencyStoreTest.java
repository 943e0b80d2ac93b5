package dev.tabrunner.testing;

import dev.tabrunner.port.IdempotencyStore;
import dev.tabrunner.testing.contract.IdempotencyStoreContract;

/** The in-memory idempotency store runs the same contract as the real adapters. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {
    @Override
    protected IdempotencyStore store() {
        return new InMemoryIdempotencyStore();
    }
}
