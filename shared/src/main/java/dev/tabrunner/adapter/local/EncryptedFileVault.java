package dev.tabrunner.adapter.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.StoreUnavailableException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The local vault: one file per credential, AES-256-GCM with a fresh 96-bit nonce per write and the tenant and
 * credential id as associated data (a file moved to another credential does not decrypt). The key comes from
 * {@code TABRUNNER_VAULT_KEY} (base64 of 32 bytes) or from a key file created owner-only on first start.
 */
public final class EncryptedFileVault implements CredentialVault {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final SecretKeySpec key;

    public EncryptedFileVault(Path dir, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the vault key must be 32 bytes (AES-256)");
        }
        this.dir = dir;
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Key from {@code TABRUNNER_VAULT_KEY}, else from {@code keyFile}, created (mode 0600) when missing. */
    public static byte[] loadOrCreateKey(Map<String, String> env, Path keyFile) {
        String configured = env.get("TABRUNNER_VAULT_KEY");
        try {
            if (configured != null && !configured.isBlank()) {
                return Base64.getDecoder().decode(configured.trim());
            }
            if (Files.exists(keyFile)) {
                return Base64.getDecoder().decode(Files.readString(keyFile).trim());
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            Files.createDirectories(keyFile.getParent());
            Path tmp = Files.createTempFile(keyFile.getParent(), "vault-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh) + "\n");
            Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
            return fresh;
        } catch (IOException e) {
            throw new IllegalStateException("could not read or create the vault key " + keyFile, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the vault key is not valid base64", e);
        }
    }

    private Path file(String tenantId, String credentialId) {
        if (!ID.matcher(tenantId).matches() || !ID.matcher(credentialId).matches()) {
            throw new IllegalArgumentException("invalid tenant or credential id");
        }
        return dir.resolve(tenantId).resolve(credentialId + ".secret");
    }

    private static byte[] aad(String tenantId, String credentialId) {
        return (tenantId + "/" + credentialId).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void put(String tenantId, String credentialId, CredentialSecret secret, String requestToken) {
        Path target = file(tenantId, credentialId);
        // like Secrets Manager's client request token: a repeated call, also a late retry after a newer version,
        // stores nothing new; the tokens applied so far are sealed with the secret
        List<String> tokens = new ArrayList<>(appliedTokens(tenantId, credentialId));
        if (tokens.contains(requestToken)) {
            return;
        }
        tokens.add(requestToken);
        byte[] plain = null;
        try {
            plain = Json.mapper().writeValueAsBytes(Map.of("username", secret.username(), "password",
                    secret.password(), "totpSecret", secret.totpSecret() == null ? "" : secret.totpSecret(),
                    "requestTokens", tokens));
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(tenantId, credentialId));
            byte[] sealed = cipher.doFinal(plain);
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("could not seal credential " + credentialId, e);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not write credential " + credentialId, e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** The request tokens the stored secret was written with (none for files written before they were kept). */
    private List<String> appliedTokens(String tenantId, String credentialId) {
        Optional<Map<?, ?>> stored;
        try {
            stored = open(tenantId, credentialId);
        } catch (StoreUnavailableException unreadable) {
            // a secret this key cannot open is replaced, as it always was
            return List.of();
        }
        Object tokens = stored.map(m -> m.get("requestTokens")).orElse(null);
        return tokens instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    @Override
    public Optional<CredentialSecret> get(String tenantId, String credentialId) {
        return open(tenantId, credentialId).map(m -> {
            String totp = (String) m.get("totpSecret");
            return new CredentialSecret((String) m.get("username"), (String) m.get("password"),
                    totp == null || totp.isEmpty() ? null : totp);
        });
    }

    /** The decrypted fields of the stored secret, or empty when there is none. */
    private Optional<Map<?, ?>> open(String tenantId, String credentialId) {
        byte[] stored;
        try {
            stored = Files.readAllBytes(file(tenantId, credentialId));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreUnavailableException("could not read credential " + credentialId, e);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            cipher.updateAAD(aad(tenantId, credentialId));
            byte[] plain = cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
            Map<?, ?> m = Json.mapper().readValue(plain, Map.class);
            Arrays.fill(plain, (byte) 0);
            return Optional.of(m);
        } catch (GeneralSecurityException | IOException e) {
            throw new StoreUnavailableException("credential " + credentialId + " cannot be decrypted with this key",
                    e);
        }
    }

    @Override
    public void delete(String tenantId, String credentialId) {
        try {
            Files.deleteIfExists(file(tenantId, credentialId));
        } catch (IOException e) {
            throw new StoreUnavailableException("could not delete credential " + credentialId, e);
        }
    }
}
