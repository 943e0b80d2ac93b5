package dev.tabrunner.adapter.secretsmanager;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.testing.InMemorySecretsManager;
import dev.tabrunner.testing.contract.CredentialVaultContract;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter against an in-JVM substitute of the SDK client that keeps secrets and checks each request; it runs
 * the vault contract too.
 */
class SecretsManagerCredentialVaultTest extends CredentialVaultContract {
    private static final String TENANT = "acme";
    private static final String ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private final InMemorySecretsManager sm = new InMemorySecretsManager();
    private final SecretsManagerCredentialVault vault = new SecretsManagerCredentialVault(sm, "tabrunner/", "kms-key-1",
            7);

    @Override
    protected CredentialVault vault() {
        return vault;
    }

    @Test
    void create_namesTheSecretByIdsOnly_withKmsKeyAndRequestToken() {
        vault.put(TENANT, ID, new CredentialSecret("ada@example.com", "pw-1", "JBSWY3DPEHPK3PXP"), ID + "-v0");
        CreateSecretRequest create = (CreateSecretRequest) sm.requests.get(0);
        assertThat(create.name()).isEqualTo("tabrunner/acme/" + ID);
        assertThat(create.name() + create.description()).doesNotContain("ada").doesNotContain("pw-1");
        assertThat(create.kmsKeyId()).isEqualTo("kms-key-1");
        assertThat(create.clientRequestToken()).isEqualTo(ID + "-v0");
        CredentialSecret back = vault.get(TENANT, ID).orElseThrow();
        assertThat(back.password()).isEqualTo("pw-1");
        assertThat(back.totpSecret()).isEqualTo("JBSWY3DPEHPK3PXP");
    }

    @Test
    void repeatingACreate_isIdempotent_andAReplacementIsANewVersion() {
        CredentialSecret first = new CredentialSecret("u", "pw-1", null);
        vault.put(TENANT, ID, first, ID + "-v0");
        vault.put(TENANT, ID, first, ID + "-v0");
        assertThat(sm.requests).hasSize(2).allMatch(r -> r instanceof CreateSecretRequest);
        vault.put(TENANT, ID, new CredentialSecret("u", "pw-2", null), ID + "-v1");
        assertThat(sm.requests.get(sm.requests.size() - 1)).isInstanceOf(PutSecretValueRequest.class);
        assertThat(vault.get(TENANT, ID).orElseThrow().password()).isEqualTo("pw-2");
    }

    @Test
    void delete_keepsARecoveryWindow_andMissingSecretsReadAsAbsent() {
        vault.put(TENANT, ID, new CredentialSecret("u", "p", null), ID + "-v0");
        vault.delete(TENANT, ID);
        DeleteSecretRequest delete = (DeleteSecretRequest) sm.requests.get(sm.requests.size() - 1);
        assertThat(delete.recoveryWindowInDays()).isEqualTo(7L);
        assertThat(delete.forceDeleteWithoutRecovery()).isNull();
        assertThat(vault.get(TENANT, ID)).isEmpty();
        vault.delete(TENANT, ID);
    }

    @Test
    void idsThatCouldEscapeThePrefix_areRefused() {
        assertThatThrownBy(() -> vault.get("../other", ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretsManagerCredentialVault(sm, "p/", null, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
