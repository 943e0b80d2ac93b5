package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Credential;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.OriginPattern;
import dev.tabrunner.domain.Totp;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.port.CredentialStore;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.NotFoundException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Administrators register website credentials. Metadata goes to the {@link CredentialStore}, the secret to the
 * {@link CredentialVault}; nothing here ever returns or logs a secret value.
 */
@Singleton
public final class CredentialService {
    private static final Set<String> FIELDS = Set.of("name", "origins", "username", "password", "totpSecret");

    private final CredentialStore store;
    private final CredentialVault vault;
    private final Clock clock;

    public CredentialService(CredentialStore store, CredentialVault vault, Clock clock) {
        this.store = store;
        this.vault = vault;
        this.clock = clock;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("credentials are managed with an admin key");
        }
    }

    public Credential create(Caller caller, String body) {
        requireAdmin(caller);
        JsonNode json = RequestBodies.object(body, FIELDS, false);
        String name = required(json, "name", 200);
        List<String> origins = origins(json);
        CredentialSecret secret = secret(json);
        Instant now = clock.instant();
        Credential credential = new Credential(UUID.randomUUID().toString(), caller.tenantId(), name, origins,
                secret.totpSecret() != null, now, now, 0);
        vault.put(caller.tenantId(), credential.id(), secret, credential.id() + "-v0");
        store.create(credential);
        return credential;
    }

    /** Replaces the secret (a new version; tasks after this use it) and optionally the name and origins. */
    public Credential replace(Caller caller, String credentialId, String body) {
        requireAdmin(caller);
        Credential current = get(caller, credentialId);
        JsonNode json = RequestBodies.object(body, FIELDS, false);
        CredentialSecret secret = secret(json);
        String name = json.has("name") ? required(json, "name", 200) : current.name();
        List<String> origins = json.has("origins") ? origins(json) : current.origins();
        Credential next = new Credential(current.id(), current.tenantId(), name, origins, secret.totpSecret() != null,
                current.createdAt(), clock.instant(), current.version() + 1);
        vault.put(caller.tenantId(), current.id(), secret, current.id() + "-v" + next.version());
        store.update(next);
        return next;
    }

    public Credential get(Caller caller, String credentialId) {
        requireAdmin(caller);
        return store.find(caller.tenantId(), credentialId).orElseThrow(() -> new NotFoundException(
                "credential_not_found", "credential " + credentialId + " not found"));
    }

    public List<Credential> list(Caller caller) {
        requireAdmin(caller);
        return store.list(caller.tenantId());
    }

    public void delete(Caller caller, String credentialId) {
        requireAdmin(caller);
        if (!store.delete(caller.tenantId(), credentialId)) {
            throw new NotFoundException("credential_not_found", "credential " + credentialId + " not found");
        }
        vault.delete(caller.tenantId(), credentialId);
    }

    private static String required(JsonNode json, String field, int max) {
        String v = RequestBodies.optionalString(json, field, max);
        if (v == null || v.isEmpty()) {
            throw ApiException.badRequest(field, "is required");
        }
        return v;
    }

    private static CredentialSecret secret(JsonNode json) {
        String username = required(json, "username", 512);
        String password = required(json, "password", 1024);
        String totp = RequestBodies.optionalString(json, "totpSecret", 256);
        if (totp != null) {
            try {
                Totp.base32(totp);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("totpSecret", "must be a base32 secret (A-Z, 2-7)");
            }
        }
        return new CredentialSecret(username, password, totp);
    }

    private static List<String> origins(JsonNode json) {
        JsonNode list = json.get("origins");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > 20) {
            throw ApiException.badRequest("origins", "must be a list of 1-20 origins such as https://app.example.com");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) {
                throw ApiException.badRequest("origins[" + i + "]", "must be a string");
            }
            try {
                out.add(OriginPattern.parse(list.get(i).textValue()).toString());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("origins[" + i + "]", e.getMessage());
            }
        }
        return out;
    }
}
