package dev.tabrunner.testing.contract;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.port.CredentialVault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link CredentialVault} promises: one current secret per tenant and credential, a repeated request
 * token stores nothing new, a deleted secret is absent. Each test uses tenants and credentials of its own; request
 * tokens are 32 to 64 characters, as Secrets Manager requires.
 */
public abstract class CredentialVaultContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private final String credential = UUID.randomUUID().toString();
    private CredentialVault vault;

    /** The vault under test; called once per test. */
    protected abstract CredentialVault vault();

    @BeforeEach
    void createVault() {
        vault = vault();
    }

    private String token(int version) {
        return credential + "-v" + version;
    }

    @Test
    void put_thenGet_returnsTheSecret_withOrWithoutTotp() {
        String withTotp = UUID.randomUUID().toString();
        vault.put(tenant, credential, new CredentialSecret("ada@example.com", "pw-1", null), token(0));
        vault.put(tenant, withTotp, new CredentialSecret("bob", "pw-2", "JBSWY3DPEHPK3PXP"), withTotp + "-v0");

        CredentialSecret plain = vault.get(tenant, credential).orElseThrow();
        assertThat(plain.username()).isEqualTo("ada@example.com");
        assertThat(plain.password()).isEqualTo("pw-1");
        assertThat(plain.totpSecret()).isNull();
        CredentialSecret totp = vault.get(tenant, withTotp).orElseThrow();
        assertThat(totp.username()).isEqualTo("bob");
        assertThat(totp.password()).isEqualTo("pw-2");
        assertThat(totp.totpSecret()).isEqualTo("JBSWY3DPEHPK3PXP");
    }

    @Test
    void get_isEmpty_whenThereIsNoSecret() {
        assertThat(vault.get(tenant, credential)).isEmpty();
    }

    @Test
    void aPutWithANewToken_replacesTheSecret() {
        vault.put(tenant, credential, new CredentialSecret("u", "pw-1", null), token(0));
        vault.put(tenant, credential, new CredentialSecret("u", "pw-2", "JBSWY3DPEHPK3PXP"), token(1));
        CredentialSecret current = vault.get(tenant, credential).orElseThrow();
        assertThat(current.password()).isEqualTo("pw-2");
        assertThat(current.totpSecret()).isEqualTo("JBSWY3DPEHPK3PXP");
    }

    @Test
    void repeatingAPut_withTheSameToken_storesNothingNew() {
        CredentialSecret first = new CredentialSecret("u", "pw-1", null);
        vault.put(tenant, credential, first, token(0));
        vault.put(tenant, credential, first, token(0));
        assertThat(vault.get(tenant, credential).orElseThrow().password()).isEqualTo("pw-1");
    }

    @Test
    void aLateRetryOfAnEarlierPut_doesNotBringTheOldSecretBack() {
        CredentialSecret first = new CredentialSecret("u", "pw-1", null);
        vault.put(tenant, credential, first, token(0));
        vault.put(tenant, credential, new CredentialSecret("u", "pw-2", null), token(1));
        vault.put(tenant, credential, first, token(0));
        assertThat(vault.get(tenant, credential).orElseThrow().password()).isEqualTo("pw-2");
    }

    @Test
    void anotherTenantsSecret_isAbsent_andUntouchedByItsDelete() {
        vault.put(tenant, credential, new CredentialSecret("u", "mine", null), token(0));
        assertThat(vault.get(otherTenant, credential)).isEmpty();
        vault.delete(otherTenant, credential);
        assertThat(vault.get(tenant, credential).orElseThrow().password()).isEqualTo("mine");
    }

    @Test
    void delete_removesTheSecret_andIsHarmlessWhenRepeated() {
        vault.put(tenant, credential, new CredentialSecret("u", "p", null), token(0));
        vault.delete(tenant, credential);
        assertThat(vault.get(tenant, credential)).isEmpty();
        vault.delete(tenant, credential);
        vault.delete(tenant, UUID.randomUUID().toString());
    }
}
