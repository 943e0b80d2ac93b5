package dev.tabrunner.testing;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.port.CredentialVault;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Credential secrets in memory, for unit tests of the credential service and of tasks that log in. Like the real
 * vaults it refuses ids that could name another tenant's secret and treats a repeated request token (a retry, also a
 * late one) as already applied, the way Secrets Manager treats a client request token. Thread-safe.
 */
public final class InMemoryCredentialVault implements CredentialVault {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private record Key(String tenantId, String credentialId) {
        Key {
            if (!ID.matcher(tenantId).matches() || !ID.matcher(credentialId).matches()) {
                throw new IllegalArgumentException("invalid tenant or credential id");
            }
        }
    }

    private record Stored(CredentialSecret secret, Set<String> requestTokens) {
    }

    private final ConcurrentHashMap<Key, Stored> secrets = new ConcurrentHashMap<>();

    @Override
    public void put(String tenantId, String credentialId, CredentialSecret secret, String requestToken) {
        secrets.compute(new Key(tenantId, credentialId), (k, current) -> {
            if (current != null && current.requestTokens().contains(requestToken)) {
                return current;
            }
            Set<String> tokens = new HashSet<>(current == null ? Set.of() : current.requestTokens());
            tokens.add(requestToken);
            return new Stored(secret, Set.copyOf(tokens));
        });
    }

    @Override
    public Optional<CredentialSecret> get(String tenantId, String credentialId) {
        return Optional.ofNullable(secrets.get(new Key(tenantId, credentialId))).map(Stored::secret);
    }

    @Override
    public void delete(String tenantId, String credentialId) {
        secrets.remove(new Key(tenantId, credentialId));
    }
}
