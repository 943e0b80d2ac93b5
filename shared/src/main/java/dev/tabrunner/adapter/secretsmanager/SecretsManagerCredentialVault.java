package dev.tabrunner.adapter.secretsmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Secrets Manager secret per credential, named {@code <prefix><tenantId>/<credentialId>}: ids only, so a
 * secret's name tells nothing about whose login it is. Creation is idempotent through the client request token,
 * a replacement is a new version ({@code PutSecretValue}), and deletion keeps the configured recovery window.
 */
public final class SecretsManagerCredentialVault implements CredentialVault {
    private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerCredentialVault.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final SecretsManagerClient client;
    private final String prefix;
    private final String kmsKeyId;
    private final long recoveryWindowDays;

    /**
     * @param kmsKeyId           customer-managed KMS key for the secrets, or null for the AWS-managed key
     * @param recoveryWindowDays 7 to 30: how long a deleted secret can still be restored
     */
    public SecretsManagerCredentialVault(SecretsManagerClient client, String prefix, String kmsKeyId,
                                         long recoveryWindowDays) {
        if (recoveryWindowDays < 7 || recoveryWindowDays > 30) {
            throw new IllegalArgumentException("the recovery window must be 7 to 30 days");
        }
        this.client = client;
        this.prefix = prefix;
        this.kmsKeyId = kmsKeyId;
        this.recoveryWindowDays = recoveryWindowDays;
    }

    String secretName(String tenantId, String credentialId) {
        if (!ID.matcher(tenantId).matches() || !ID.matcher(credentialId).matches()) {
            throw new IllegalArgumentException("invalid tenant or credential id");
        }
        return prefix + tenantId + "/" + credentialId;
    }

    private static String json(CredentialSecret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("username", secret.username());
        values.put("password", secret.password());
        if (secret.totpSecret() != null) {
            values.put("totpSecret", secret.totpSecret());
        }
        try {
            return Json.mapper().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a credential", e);
        }
    }

    @Override
    public void put(String tenantId, String credentialId, CredentialSecret secret, String requestToken) {
        String name = secretName(tenantId, credentialId);
        String value = json(secret);
        try {
            try {
                client.createSecret(b -> {
                    b.name(name).secretString(value).clientRequestToken(requestToken)
                            .description("Tabrunner credential " + credentialId);
                    if (kmsKeyId != null) {
                        b.kmsKeyId(kmsKeyId);
                    }
                });
            } catch (ResourceExistsException exists) {
                client.putSecretValue(b -> b.secretId(name).secretString(value).clientRequestToken(requestToken));
            }
        } catch (SdkException e) {
            LOG.warn("storing credential {} of tenant {} failed: {}", credentialId, tenantId, e.getClass().getName());
            throw new StoreUnavailableException("could not store credential " + credentialId, e);
        }
    }

    @Override
    public Optional<CredentialSecret> get(String tenantId, String credentialId) {
        String name = secretName(tenantId, credentialId);
        try {
            String value = client.getSecretValue(b -> b.secretId(name)).secretString();
            Map<?, ?> m = Json.mapper().readValue(value, Map.class);
            return Optional.of(new CredentialSecret((String) m.get("username"), (String) m.get("password"),
                    (String) m.get("totpSecret")));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("credential " + credentialId + " is not in the expected format", null);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read credential " + credentialId, e);
        }
    }

    @Override
    public void delete(String tenantId, String credentialId) {
        String name = secretName(tenantId, credentialId);
        try {
            client.deleteSecret(b -> b.secretId(name).recoveryWindowInDays(recoveryWindowDays));
        } catch (ResourceNotFoundException e) {
            // already gone
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not delete credential " + credentialId, e);
        }
    }
}
