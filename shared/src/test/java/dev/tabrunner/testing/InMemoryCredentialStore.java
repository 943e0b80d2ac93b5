package dev.tabrunner.testing;

import dev.tabrunner.domain.Credential;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.CredentialStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credential metadata in memory, for unit tests of the credential service and of tasks that log in. Behaves as
 * {@code CredentialStoreContract} pins the DynamoDB adapter down; lists newest first, as the adapter's index does.
 * Thread-safe.
 */
public final class InMemoryCredentialStore implements CredentialStore {
    private final ConcurrentHashMap<String, Credential> byId = new ConcurrentHashMap<>();

    @Override
    public void create(Credential credential) {
        if (byId.putIfAbsent(credential.id(), credential) != null) {
            throw new ConflictException("credential_exists", "credential " + credential.id() + " exists");
        }
    }

    @Override
    public Optional<Credential> find(String tenantId, String credentialId) {
        return Optional.ofNullable(byId.get(credentialId)).filter(c -> c.tenantId().equals(tenantId));
    }

    @Override
    public List<Credential> list(String tenantId) {
        return byId.values().stream().filter(c -> c.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(Credential::createdAt).thenComparing(Credential::id).reversed())
                .toList();
    }

    @Override
    public void update(Credential next) {
        if (!ConditionalWrites.replaceIf(byId, next.id(), current -> current.version() == next.version() - 1
                && current.tenantId().equals(next.tenantId()), next)) {
            throw new ConflictException("credential_changed", "credential " + next.id() + " changed concurrently");
        }
    }

    @Override
    public boolean delete(String tenantId, String credentialId) {
        Credential current = byId.get(credentialId);
        return current != null && current.tenantId().equals(tenantId) && byId.remove(credentialId, current);
    }
}
