package dev.tabrunner.admin;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.KeyAuthenticator;
import dev.tabrunner.port.ApiKeyStore;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys look like {@code trk_<id>_<secret>}: the id finds the stored row, the SHA-256 of the whole key is
 * compared in constant time. A fast hash is enough because generated keys carry 256 random bits; there is
 * nothing to brute-force. The operator's {@code TABRUNNER_ADMIN_KEY} can be any string and is stored under a
 * fixed id.
 */
@Singleton
public final class ApiKeyService implements KeyAuthenticator {
    public static final String ENV_ADMIN_KEY_ID = "env-admin";
    private static final Pattern GENERATED = Pattern.compile("trk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyStore store;
    private final Clock clock;

    public ApiKeyService(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A key and the secret shown once. */
    public record IssuedKey(ApiKey key, String secret) {
    }

    @Override
    public Optional<Caller> authenticate(String presented) {
        if (presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        var m = GENERATED.matcher(presented);
        String id = m.matches() ? m.group(1) : ENV_ADMIN_KEY_ID;
        return store.find(id)
                .filter(k -> MessageDigest.isEqual(k.secretHash().getBytes(StandardCharsets.US_ASCII),
                        hash(presented).getBytes(StandardCharsets.US_ASCII)))
                .map(k -> new Caller(k.id(), k.tenantId(), k.role()));
    }

    /**
     * Issues a key. An admin issues keys for its own tenant; the operator's admins (tenant {@code default}) may
     * also issue keys for other tenants, which is how tenants come to exist.
     */
    public IssuedKey create(Caller caller, Role role, String tenantId, String name) {
        requireAdmin(caller);
        String tenant = tenantId == null ? caller.tenantId() : tenantId;
        if (!TENANT.matcher(tenant).matches()) {
            throw ApiException.badRequest("tenantId", "must be 1-63 lowercase letters, digits or dashes");
        }
        if (!tenant.equals(caller.tenantId()) && !caller.isOperator()) {
            throw ApiException.forbidden("only the operator's admin keys may create keys for other tenants");
        }
        return issue(role, tenant, name);
    }

    private IssuedKey issue(Role role, String tenant, String name) {
        String id = HexFormat.of().formatHex(randomBytes(8));
        String secret = "trk_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(id, tenant, role, name, hash(secret), clock.instant());
        store.put(key, false);
        return new IssuedKey(key, secret);
    }

    /** @return false when no such key exists in the caller's tenant */
    /** An admin revokes keys of its tenant; the operator, who creates other tenants' keys, revokes any key. */
    public boolean revoke(Caller caller, String keyId) {
        requireAdmin(caller);
        if (caller.isOperator()) {
            return store.find(keyId).map(k -> store.delete(k.tenantId(), keyId)).orElse(false);
        }
        return store.delete(caller.tenantId(), keyId);
    }

    /** Registers the operator's chosen admin key (replacing an earlier one). */
    public void registerOperatorKey(String secret) {
        store.put(new ApiKey(ENV_ADMIN_KEY_ID, Caller.OPERATOR_TENANT, Role.ADMIN, "TABRUNNER_ADMIN_KEY",
                hash(secret), clock.instant()), true);
    }

    /**
     * Issues the first admin key of a deployment that has none (on AWS, where no operator sets
     * {@code TABRUNNER_ADMIN_KEY}). The key takes the operator key's fixed slot with a conditional write, so it is
     * issued once: later calls are refused until an admin revokes it ({@code DELETE /admin/api-keys/env-admin}).
     * Its form, {@code trk_admin_<secret>}, is not a generated key's, so it is looked up in that slot.
     *
     * @throws dev.tabrunner.port.ConflictException when an operator key exists
     */
    public IssuedKey bootstrapOperatorKey() {
        String secret = "trk_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(ENV_ADMIN_KEY_ID, Caller.OPERATOR_TENANT, Role.ADMIN, "bootstrap", hash(secret),
                clock.instant());
        store.put(key, false);
        return new IssuedKey(key, secret);
    }

    /** Issues an admin key of the operator's tenant, for the first start of a deployment. */
    public IssuedKey issueOperatorKey(String name) {
        return issue(Role.ADMIN, Caller.OPERATOR_TENANT, name);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("this call needs an admin key");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
