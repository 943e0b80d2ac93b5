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
 * Administrators register credentials: website logins ({@code kind: login}, the default) and keys of services
 * ({@code kind: api_key}, e.g. a language model's, which need no origins or username). Metadata goes to the
 * {@link CredentialStore}, the secret to the {@link CredentialVault}; nothing here ever returns or logs a secret
 * value.
 *
 * <p>Changes: {@code PUT} replaces the whole credential, so it states every secret field: a login that has a TOTP
 * secret keeps it only if the PUT sends it again, and a PUT that leaves {@code totpSecret} out of such a credential
 * is refused rather than silently dropping it ({@code "totpSecret": null} removes it). {@code PATCH} changes only
 * the fields it sends.
 */
@Singleton
public final class CredentialService {
    private static final Set<String> FIELDS = Set.of("name", "kind", "origins", "username", "password",
            "totpSecret");
    private static final Set<String> PATCHABLE = Set.of("name", "origins", "username", "password", "totpSecret");

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
        String kind = kind(json);
        String name = required(json, "name", 200);
        List<String> origins = kind.equals(Credential.KIND_API_KEY) && !json.has("origins") ? List.of()
                : origins(json);
        CredentialSecret secret = secret(json, kind);
        Instant now = clock.instant();
        Credential credential = new Credential(UUID.randomUUID().toString(), caller.tenantId(), name, origins,
                secret.totpSecret() != null, now, now, 0, shownUsername(secret), kind);
        vault.put(caller.tenantId(), credential.id(), secret, credential.id() + "-v0");
        store.create(credential);
        return credential;
    }

    /**
     * Replaces the credential (its secret is a new version; tasks after this use it); the name and origins stay when
     * not sent. The kind cannot change.
     *
     * @throws ApiException 400 when the credential has a TOTP secret and the body does not say what becomes of it
     */
    public Credential replace(Caller caller, String credentialId, String body) {
        requireAdmin(caller);
        Credential current = get(caller, credentialId);
        JsonNode json = RequestBodies.object(body, FIELDS, false);
        if (json.has("kind") && !kind(json).equals(current.kind())) {
            throw ApiException.badRequest("kind", "cannot change; create a new credential");
        }
        if (current.hasTotp() && !json.has("totpSecret")) {
            throw ApiException.badRequest("totpSecret", "PUT replaces the whole credential and this one has a TOTP"
                    + " secret: send it again, send null to remove it, or PATCH only the fields that change");
        }
        CredentialSecret secret = secret(json, current.kind());
        String name = json.has("name") ? required(json, "name", 200) : current.name();
        List<String> origins = json.has("origins") ? origins(json) : current.origins();
        return store(caller, current, name, origins, secret);
    }

    /** Changes only the fields the body sends; {@code "totpSecret": null} removes the TOTP secret. */
    public Credential patch(Caller caller, String credentialId, String body) {
        requireAdmin(caller);
        Credential current = get(caller, credentialId);
        JsonNode json = RequestBodies.object(body, PATCHABLE, false);
        CredentialSecret before = vault.get(caller.tenantId(), credentialId).orElseThrow(() -> new NotFoundException(
                "credential_not_found", "credential " + credentialId + " has no secret stored"));
        String username = json.has("username") ? optional(json, "username", 512) : before.username();
        String password = json.has("password") ? required(json, "password", 1024) : before.password();
        String totp = json.has("totpSecret") ? totp(json) : before.totpSecret();
        if (current.kind().equals(Credential.KIND_LOGIN) && (username == null || username.isEmpty())) {
            throw ApiException.badRequest("username", "is required");
        }
        CredentialSecret secret = new CredentialSecret(username == null ? "" : username, password, totp);
        String name = json.has("name") ? required(json, "name", 200) : current.name();
        List<String> origins = json.has("origins") ? origins(json) : current.origins();
        return store(caller, current, name, origins, secret);
    }

    private Credential store(Caller caller, Credential current, String name, List<String> origins,
                             CredentialSecret secret) {
        Credential next = new Credential(current.id(), current.tenantId(), name, origins, secret.totpSecret() != null,
                current.createdAt(), clock.instant(), current.version() + 1, shownUsername(secret), current.kind());
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

    private static String shownUsername(CredentialSecret secret) {
        return secret.username().isEmpty() ? null : secret.username();
    }

    private static String kind(JsonNode json) {
        String kind = RequestBodies.optionalString(json, "kind", 16);
        if (kind == null) {
            return Credential.KIND_LOGIN;
        }
        if (!kind.equals(Credential.KIND_LOGIN) && !kind.equals(Credential.KIND_API_KEY)) {
            throw ApiException.badRequest("kind", "must be login or api_key");
        }
        return kind;
    }

    private static String required(JsonNode json, String field, int max) {
        String v = RequestBodies.optionalString(json, field, max);
        if (v == null || v.isEmpty()) {
            throw ApiException.badRequest(field, "is required");
        }
        return v;
    }

    private static String optional(JsonNode json, String field, int max) {
        return RequestBodies.optionalString(json, field, max);
    }

    /** A login needs a username and password; an API key needs only the key, as {@code password}. */
    private static CredentialSecret secret(JsonNode json, String kind) {
        boolean login = kind.equals(Credential.KIND_LOGIN);
        String username = login ? required(json, "username", 512) : optional(json, "username", 512);
        String password = required(json, "password", 1024);
        return new CredentialSecret(username == null ? "" : username, password, totp(json));
    }

    private static String totp(JsonNode json) {
        String totp = RequestBodies.optionalString(json, "totpSecret", 256);
        if (totp != null) {
            try {
                Totp.base32(totp);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("totpSecret", "must be a base32 secret (A-Z, 2-7)");
            }
        }
        return totp;
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
