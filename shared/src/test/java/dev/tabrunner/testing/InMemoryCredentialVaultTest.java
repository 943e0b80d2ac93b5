package dev.tabrunner.testing;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.testing.contract.CredentialVaultContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory vault runs the same contract as the real vaults. */
class InMemoryCredentialVaultTest extends CredentialVaultContract {
    @Override
    protected CredentialVault vault() {
        return new InMemoryCredentialVault();
    }

    @Test
    void idsThatCouldNameAnotherTenantsSecret_areRefused_likeTheRealVaults() {
        InMemoryCredentialVault vault = new InMemoryCredentialVault();
        assertThatThrownBy(() -> vault.get("../other", "c1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vault.put("t", "a/b", new CredentialSecret("u", "p", null), "token"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
