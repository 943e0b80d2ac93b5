package dev.tabrunner.port;

import dev.tabrunner.domain.CredentialSecret;

import java.util.Optional;

/**
 * Where credential secrets live: Secrets Manager on AWS (one secret per credential), an encrypted directory
 * locally. Implementations must never log or echo the values.
 */
public interface CredentialVault {
    /**
     * Stores a new version of the secret. Repeating a call with the same {@code requestToken} stores nothing new.
     *
     * @throws StoreUnavailableException when the vault cannot be written
     */
    void put(String tenantId, String credentialId, CredentialSecret secret, String requestToken);

    /** The current version, or empty when there is none. */
    Optional<CredentialSecret> get(String tenantId, String credentialId);

    /** Removes the secret (on AWS: scheduled with a recovery window). */
    void delete(String tenantId, String credentialId);
}
