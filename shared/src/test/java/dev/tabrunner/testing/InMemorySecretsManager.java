package dev.tabrunner.testing;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-JVM substitute of Secrets Manager for the four calls the credential vault makes: keeps secrets, honours
 * client request tokens like the service, and records each request so that tests can check it.
 */
public final class InMemorySecretsManager implements SecretsManagerClient {
    public final Map<String, String> current = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    public final List<Object> requests = new CopyOnWriteArrayList<>();

    @Override
    public CreateSecretResponse createSecret(CreateSecretRequest r) {
        requests.add(r);
        assertThat(r.clientRequestToken()).hasSizeBetween(32, 64);
        if (current.containsKey(r.name())) {
            if (tokens.contains(r.clientRequestToken())) {
                return CreateSecretResponse.builder().name(r.name()).build();
            }
            throw ResourceExistsException.builder().message("exists").build();
        }
        current.put(r.name(), r.secretString());
        tokens.add(r.clientRequestToken());
        return CreateSecretResponse.builder().name(r.name()).build();
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest r) {
        requests.add(r);
        if (!current.containsKey(r.secretId())) {
            throw ResourceNotFoundException.builder().message("missing").build();
        }
        if (tokens.add(r.clientRequestToken())) {
            current.put(r.secretId(), r.secretString());
        }
        return PutSecretValueResponse.builder().build();
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
        requests.add(r);
        String v = current.get(r.secretId());
        if (v == null) {
            throw ResourceNotFoundException.builder().message("missing").build();
        }
        return GetSecretValueResponse.builder().secretString(v).build();
    }

    @Override
    public DeleteSecretResponse deleteSecret(DeleteSecretRequest r) {
        requests.add(r);
        if (current.remove(r.secretId()) == null) {
            throw ResourceNotFoundException.builder().message("missing").build();
        }
        return DeleteSecretResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
