package dev.tabrunner.port;

import dev.tabrunner.domain.Credential;

import java.util.List;
import java.util.Optional;

/** Credential metadata (name, origins, tenant). The secret values are in the {@link CredentialVault}. */
public interface CredentialStore {
    /**
     * @throws ConflictException when the id exists
     */
    void create(Credential credential);

    Optional<Credential> find(String tenantId, String credentialId);

    List<Credential> list(String tenantId);

    /**
     * Writes {@code next} if the stored version is {@code next.version() - 1}.
     *
     * @throws ConflictException when it changed concurrently or is gone
     */
    void update(Credential next);

    /** @return false when no such credential exists in the tenant */
    boolean delete(String tenantId, String credentialId);
}
