package dev.tabrunner.adapter.local;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.testing.contract.CredentialVaultContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local vault runs the vault contract and shows that what it writes is sealed. */
class EncryptedFileVaultTest extends CredentialVaultContract {
    private static final String CANARY = "canary-Pa55w0rd-7f3e";

    @TempDir
    Path dir;

    @Override
    protected CredentialVault vault() {
        return new EncryptedFileVault(dir.resolve("contract"), new byte[32]);
    }

    @Test
    void storedBytes_neverContainThePlaintext_andReadBack() throws IOException {
        byte[] key = EncryptedFileVault.loadOrCreateKey(Map.of(), dir.resolve("vault.key"));
        EncryptedFileVault vault = new EncryptedFileVault(dir.resolve("vault"), key);
        vault.put("tenant-a", "cred-1", new CredentialSecret("ada@example.com", CANARY, "JBSWY3DPEHPK3PXP"), "t1");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).doesNotContain(CANARY).doesNotContain("JBSWY3DPEHPK3PXP")
                        .doesNotContain("ada@example.com");
            }
        }
        CredentialSecret back = vault.get("tenant-a", "cred-1").orElseThrow();
        assertThat(back.password()).isEqualTo(CANARY);
        assertThat(back.totpSecret()).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(back.toString()).doesNotContain(CANARY);
    }

    @Test
    void keyFile_isOwnerOnly_andReused() throws IOException {
        Path keyFile = dir.resolve("vault.key");
        byte[] first = EncryptedFileVault.loadOrCreateKey(Map.of(), keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(EncryptedFileVault.loadOrCreateKey(Map.of(), keyFile)).isEqualTo(first);
        byte[] fromEnv = new byte[32];
        fromEnv[0] = 7;
        assertThat(EncryptedFileVault.loadOrCreateKey(Map.of("TABRUNNER_VAULT_KEY",
                Base64.getEncoder().encodeToString(fromEnv)), keyFile)).isEqualTo(fromEnv);
    }

    @Test
    void aSecretMovedToAnotherCredential_doesNotDecrypt() throws IOException {
        EncryptedFileVault vault = new EncryptedFileVault(dir, new byte[32]);
        vault.put("t", "one", new CredentialSecret("u", "p", null), "x");
        Files.createDirectories(dir.resolve("t"));
        Files.copy(dir.resolve("t/one.secret"), dir.resolve("t/two.secret"));
        assertThatThrownBy(() -> vault.get("t", "two")).isInstanceOf(StoreUnavailableException.class);
        assertThat(vault.get("t", "missing")).isEmpty();
    }

    @Test
    void aSecretSealedWithAnotherKey_isStillReplacedByAPut() {
        new EncryptedFileVault(dir, new byte[32]).put("t", "one", new CredentialSecret("u", "old", null), "x");
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        EncryptedFileVault rekeyed = new EncryptedFileVault(dir, otherKey);
        assertThatThrownBy(() -> rekeyed.get("t", "one")).isInstanceOf(StoreUnavailableException.class);
        rekeyed.put("t", "one", new CredentialSecret("u", "new", null), "x");
        assertThat(rekeyed.get("t", "one").orElseThrow().password()).isEqualTo("new");
    }
}
