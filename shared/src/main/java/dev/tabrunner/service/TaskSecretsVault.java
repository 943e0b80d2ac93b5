package dev.tabrunner.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.CredentialVault;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the secrets of an agent task in the credential vault (the encrypted local vault, Secrets Manager on AWS)
 * from the moment the task is accepted until it ends, so that the task row, which is stored and read back in
 * plain JSON, only ever names them. One vault entry per task, {@code task-<taskId>}, in the task's tenant.
 */
public final class TaskSecretsVault {
    private static final String USERNAME = "agent-task-secrets";

    private final CredentialVault vault;

    public TaskSecretsVault(CredentialVault vault) {
        this.vault = vault;
    }

    private static String id(String taskId) {
        return "task-" + taskId;
    }

    /** Stores the task's secrets; nothing is stored for a task without secrets. */
    public void seal(String tenantId, String taskId, TaskSecrets secrets) {
        if (secrets.isEmpty()) {
            return;
        }
        try {
            String values = Json.mapper().writeValueAsString(secrets.values());
            vault.put(tenantId, id(taskId), new CredentialSecret(USERNAME, values, null), taskId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not seal the secrets of task " + taskId, e);
        }
    }

    /** The task's secrets; none when it has none or they were discarded. */
    public TaskSecrets open(String tenantId, String taskId) {
        return vault.get(tenantId, id(taskId)).map(s -> {
            try {
                Map<String, String> values = Json.mapper().readValue(s.password(),
                        new TypeReference<LinkedHashMap<String, String>>() { });
                return new TaskSecrets(values);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the secrets of task " + taskId + " are unreadable", e);
            }
        }).orElse(TaskSecrets.none());
    }

    /** Removes the task's secrets once it has ended. */
    public void discard(String tenantId, String taskId) {
        vault.delete(tenantId, id(taskId));
    }
}
